using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo;

/// <summary>A network of the zoo: a TorchSharp module whose state-dict keys are those of its reference implementation.</summary>
/// <remarks>
/// Submodules are called with <c>call()</c>, never <c>forward()</c>, so that forward hooks fire: summaries, multiply-add
/// counts and feature extraction by layer name all rely on hooks.
/// </remarks>
public abstract class ZooModel : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module; <paramref name="name"/> is the zoo name (for example "resnet18").</summary>
    protected ZooModel(string name)
        : base(name)
    {
    }

    /// <summary>The main output and, in training mode, the outputs of the auxiliary heads (GoogLeNet's aux1/aux2, Inception v3's AuxLogits).</summary>
    /// <remarks>The default has no auxiliary heads. Models with heads override this and make <c>forward</c> return its <see cref="ZooOutput.Main"/>.</remarks>
    public virtual ZooOutput ForwardAll(Tensor input) => new(forward(input), []);

    /// <summary>The model's output for <paramref name="input"/> as for inference: evaluation mode and no autograd.</summary>
    /// <remarks>
    /// Switches the model to evaluation mode (batch norm's running statistics, no dropout, no auxiliary heads) and runs
    /// it under LibTorch's inference mode, which records no graph and skips the version counters that no_grad still
    /// keeps. The result is an inference tensor: it cannot take part in autograd later (clone it to do so).
    /// </remarks>
    public Tensor Infer(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (training)
        {
            eval();
        }

        using IDisposable mode = inference_mode();
        return call(input);
    }

    /// <summary>The state dict in PyTorch's order (each module's parameters, then its buffers, then its children), as a checkpoint lists it.</summary>
    /// <remarks>TorchSharp's own lists every parameter of the tree before any buffer: see <see cref="Blocks.PyTorchStateDict"/>.</remarks>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null) =>
        Blocks.PyTorchStateDict.Collect(this, destination, prefix);
}

/// <summary>What <see cref="ZooModel.ForwardAll"/> returns.</summary>
/// <param name="Main">The model's output (logits, or the segmentation map for ENet).</param>
/// <param name="Auxiliary">Named auxiliary outputs (empty in evaluation mode and for models without heads).</param>
public sealed record ZooOutput(Tensor Main, IReadOnlyList<KeyValuePair<string, Tensor>> Auxiliary);
