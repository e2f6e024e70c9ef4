using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Blocks;

/// <summary>A module whose submodules are all registered explicitly, under PyTorch's names and in PyTorch's order.</summary>
/// <remarks>
/// When a module is registered as a child, TorchSharp runs its reflection-based RegisterComponents, which would add
/// every module-typed field a second time under its C# name ("_conv" next to "conv"), duplicating state-dict keys.
/// (Modules with another signature than Tensor -> Tensor override RegisterComponents the same way.)
/// </remarks>
public abstract class ExplicitModule : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    protected ExplicitModule(string name)
        : base(name)
    {
    }

    /// <summary>Registers nothing: the constructor did.</summary>
    protected override void RegisterComponents()
    {
    }
}
