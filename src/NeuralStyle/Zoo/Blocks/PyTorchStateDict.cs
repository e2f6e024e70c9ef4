using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Blocks;

/// <summary>A state dict in PyTorch's order: each module's own parameters, then its own persistent buffers, then its children, depth first.</summary>
/// <remarks>
/// TorchSharp's <c>Module.state_dict</c> lists every parameter of the whole tree before any buffer, so a model with
/// batch norm gets <c>features.4.weight</c> before <c>features.1.running_mean</c>; PyTorch (and so a checkpoint's key
/// order) interleaves them per module. Models with buffers override <c>state_dict</c> with <see cref="Collect"/>.
/// </remarks>
public static class PyTorchStateDict
{
    /// <summary>Adds <paramref name="module"/>'s state to <paramref name="destination"/> (a new dictionary when null), keys prefixed with <paramref name="prefix"/>.</summary>
    public static Dictionary<string, Tensor> Collect(nn.Module module, Dictionary<string, Tensor>? destination = null, string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        destination ??= [];
        foreach ((string name, TorchSharp.Modules.Parameter parameter) in module.named_parameters(recurse: false))
        {
            destination.TryAdd(Key(prefix, name), parameter);
        }

        foreach ((string name, Tensor buffer) in module.named_buffers(recurse: false, include_nonpersistent: false))
        {
            destination.TryAdd(Key(prefix, name), buffer);
        }

        foreach ((string name, nn.Module child) in module.named_children())
        {
            Collect(child, destination, Key(prefix, name));
        }

        return destination;
    }

    private static string Key(string? prefix, string name) => string.IsNullOrEmpty(prefix) ? name : $"{prefix}.{name}";
}
