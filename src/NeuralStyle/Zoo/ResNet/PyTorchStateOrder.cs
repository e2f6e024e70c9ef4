using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.ResNet;

/// <summary>A module's state dict in PyTorch's order: each module's own parameters, then its own buffers, then its children.</summary>
/// <remarks>
/// TorchSharp's <c>state_dict()</c> lists every parameter of the whole tree before the first buffer, so a file written
/// from it, or a key listing, would not line up with the one PyTorch gives. The ResNet and ENet families share this.
/// </remarks>
internal static class PyTorchStateOrder
{
    /// <summary>Adds the entries of <paramref name="module"/> (keys prefixed with <paramref name="prefix"/>) to <paramref name="destination"/>.</summary>
    public static Dictionary<string, Tensor> StateDict(nn.Module module, Dictionary<string, Tensor>? destination, string? prefix)
    {
        destination ??= [];
        string head = string.IsNullOrEmpty(prefix) ? string.Empty : prefix + ".";
        foreach ((string name, TorchSharp.Modules.Parameter parameter) in module.named_parameters(recurse: false))
        {
            destination.TryAdd(head + name, parameter);
        }

        foreach ((string name, Tensor buffer) in module.named_buffers(recurse: false, include_nonpersistent: false))
        {
            destination.TryAdd(head + name, buffer);
        }

        foreach ((string name, nn.Module child) in module.named_children())
        {
            StateDict(child, destination, head + name);
        }

        return destination;
    }
}
