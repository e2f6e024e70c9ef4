using System.Reflection;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inspection;

/// <summary>Forward hooks on any TorchSharp module, whatever its forward signature.</summary>
/// <remarks>
/// TorchSharp's hooks are typed by the module's generic base (<c>Module&lt;T, TResult&gt;</c>, <c>Module&lt;T1, T2, TResult&gt;</c>, ...),
/// so a tool that walks a whole model has to pick the right overload per module; this does it by reflection once per
/// module type. Modules whose forward takes more than three arguments are not hooked (no zoo model has one).
/// </remarks>
internal static class ModuleHooks
{
    /// <summary>Called after a module's forward with its first input and its result.</summary>
    public delegate void Observer(nn.Module module, object? input, object? output);

    private static readonly MethodInfo AttachOne = typeof(ModuleHooks).GetMethod(nameof(AttachUnary), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo AttachTwo = typeof(ModuleHooks).GetMethod(nameof(AttachBinary), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo AttachThree = typeof(ModuleHooks).GetMethod(nameof(AttachTernary), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly Dictionary<Type, MethodInfo?> ByType = [];

    /// <summary>Registers <paramref name="observer"/> as a forward hook; disposing the result removes it.</summary>
    public static IDisposable Attach(nn.Module module, Observer observer)
    {
        MethodInfo? attach;
        lock (ByType)
        {
            if (!ByType.TryGetValue(module.GetType(), out attach))
            {
                attach = ByType[module.GetType()] = Find(module.GetType());
            }
        }

        return attach is null ? Removal.None : (IDisposable)attach.Invoke(null, [module, observer])!;
    }

    private static MethodInfo? Find(Type type)
    {
        for (Type? t = type; t is not null; t = t.BaseType)
        {
            if (!t.IsGenericType)
            {
                continue;
            }

            Type definition = t.GetGenericTypeDefinition();
            Type[] arguments = t.GetGenericArguments();
            if (definition == typeof(nn.Module<,>))
            {
                return AttachOne.MakeGenericMethod(arguments);
            }

            if (definition == typeof(nn.Module<,,>))
            {
                return AttachTwo.MakeGenericMethod(arguments);
            }

            if (definition == typeof(nn.Module<,,,>))
            {
                return AttachThree.MakeGenericMethod(arguments);
            }
        }

        return null;
    }

    // Each hook hands back the result it was given: TorchSharp replaces the output with a non-null hook result.
    private static IDisposable AttachUnary<T, TResult>(nn.Module<T, TResult> module, Observer observer)
    {
        var remover = module.register_forward_hook((m, input, output) =>
        {
            observer(m, input, output);
            return output;
        });
        return new Removal(remover.remove);
    }

    private static IDisposable AttachBinary<T1, T2, TResult>(nn.Module<T1, T2, TResult> module, Observer observer)
    {
        var remover = module.register_forward_hook((m, input, _, output) =>
        {
            observer(m, input, output);
            return output;
        });
        return new Removal(remover.remove);
    }

    private static IDisposable AttachTernary<T1, T2, T3, TResult>(nn.Module<T1, T2, T3, TResult> module, Observer observer)
    {
        var remover = module.register_forward_hook((m, input, _, _, output) =>
        {
            observer(m, input, output);
            return output;
        });
        return new Removal(remover.remove);
    }

    private sealed class Removal(Action remove) : IDisposable
    {
        public static readonly IDisposable None = new Removal(() => { });

        public void Dispose() => remove();
    }
}
