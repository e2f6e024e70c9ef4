using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inspection;

/// <summary>Feature extraction by layer name: the outputs of named submodules of a zoo model.</summary>
public static class ZooFeatures
{
    /// <summary>
    /// Runs <paramref name="model"/> on <paramref name="input"/> in its current mode and returns the output of each
    /// module named in <paramref name="layers"/> (any path: leaf or container). The forward pass stops as soon as every
    /// requested module has produced its output, so layers early in a network do not pay for the rest.
    /// </summary>
    /// <remarks>
    /// For a module that runs more than once the first output is returned. The tensors are new handles owned by the
    /// caller (or the caller's dispose scope), still attached to the autograd graph. Gradient mode is the caller's.
    /// As with PyTorch's hooks, an output that a later in-place operation modifies (torchvision ResNet's
    /// <c>bn1</c>, rectified in place by <c>relu</c>) is seen after that modification.
    /// </remarks>
    /// <exception cref="ArgumentException">A name is not a module of the model, or the module did not run.</exception>
    public static IReadOnlyDictionary<string, Tensor> Extract(ZooModel model, Tensor input, IReadOnlyCollection<string> layers)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layers);
        var outputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        if (layers.Count == 0)
        {
            return outputs;
        }

        var modules = new Dictionary<string, nn.Module>(StringComparer.Ordinal);
        foreach ((string path, nn.Module module) in ModuleTree.Paths(model))
        {
            modules.TryAdd(path, module);
        }

        var wanted = new Dictionary<nn.Module, List<string>>(ReferenceEqualityComparer.Instance);
        foreach (string layer in layers.Distinct(StringComparer.Ordinal))
        {
            if (!modules.TryGetValue(layer, out nn.Module? module))
            {
                throw new ArgumentException($"{model.GetName()} has no layer '{layer}' (list them with `neural-style layers --network {model.GetName()}`)");
            }

            if (!wanted.TryGetValue(module, out List<string>? names))
            {
                wanted[module] = names = [];
            }

            names.Add(layer);
        }

        int remaining = wanted.Count;
        var hooks = new List<IDisposable>();
        // Hooks run inside the modules' forward methods, which open dispose scopes of their own (ResNet's blocks do);
        // a handle made there would be disposed when that forward returns, so it goes to the caller's scope (or none).
        DisposeScope? callerScope = CurrentDisposeScope;
        try
        {
            foreach ((nn.Module module, List<string> names) in wanted)
            {
                hooks.Add(ModuleHooks.Attach(module, (_, _, output) =>
                {
                    if (outputs.ContainsKey(names[0]))
                    {
                        return;
                    }

                    Tensor first = TensorValues.First(output) ?? throw new ArgumentException($"{model.GetName()}: layer '{names[0]}' returns no tensor");
                    // Sequential disposes its intermediate results, so the caller gets its own handle.
                    foreach (string name in names)
                    {
                        Tensor handle = first.alias().DetachFromDisposeScope();
                        callerScope?.Attach(handle);
                        outputs[name] = handle;
                    }

                    if (--remaining == 0)
                    {
                        throw new ForwardStopped();
                    }
                }));
            }

            model.call(input).Dispose();
        }
        catch (ForwardStopped)
        {
            // Every requested layer has its output: the rest of the network is not needed.
        }
        finally
        {
            foreach (IDisposable hook in hooks)
            {
                hook.Dispose();
            }
        }

        if (remaining > 0)
        {
            string missing = string.Join(", ", wanted.Values.Select(n => n[0]).Where(n => !outputs.ContainsKey(n)));
            foreach (Tensor t in outputs.Values)
            {
                t.Dispose();
            }

            throw new ArgumentException($"{model.GetName()}: layer(s) {missing} did not run (an auxiliary head runs only in training mode)");
        }

        return outputs;
    }

    // Thrown from a hook to end the forward pass early; never escapes Extract.
    private sealed class ForwardStopped : Exception;
}
