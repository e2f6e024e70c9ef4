using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Blocks;

/// <summary>
/// Dropout drawing its masks from <see cref="ZooRandom.Current"/> (TorchSharp's takes no generator): in training mode
/// each element (or, with <c>channels</c>, each whole channel, as Dropout2d) is zeroed with probability p and the rest
/// scaled by 1 / (1 - p); in evaluation mode the input passes unchanged. No parameters, so state dicts are unchanged.
/// </summary>
public sealed class ZooDropout : nn.Module<Tensor, Tensor>
{
    /// <summary>Element-wise dropout (PyTorch's Dropout); <paramref name="channels"/>: whole channels (Dropout2d).</summary>
    public ZooDropout(double p, bool channels = false)
        : base(channels ? "Dropout2d" : "Dropout")
    {
        if (p is < 0 or > 1)
        {
            throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        }

        Probability = p;
        Channels = channels;
    }

    /// <summary>The probability of zeroing.</summary>
    public double Probability { get; }

    /// <summary>Whether whole channels are zeroed (Dropout2d).</summary>
    public bool Channels { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!training || Probability == 0)
        {
            return input.alias();
        }

        if (Probability == 1)
        {
            return zeros_like(input);
        }

        long[] shape = Channels ? [.. input.shape.Take(2), .. Enumerable.Repeat(1L, (int)input.dim() - 2)] : input.shape;
        using Tensor keep = rand(shape, ScalarType.Float32, generator: ZooRandom.Current).ge_(Probability).to(input.dtype, input.device);
        return input * keep / (1 - Probability);
    }
}
