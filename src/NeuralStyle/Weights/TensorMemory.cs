using static TorchSharp.torch;

namespace NeuralStyle.Weights;

/// <summary>Direct access to the bytes of a freshly allocated tensor, so that readers fill it from a file in place.</summary>
/// <remarks>
/// Reading a file straight into the tensor's native memory needs no managed buffer and no staging tensor per chunk
/// (each of which the weights-load bench showed as memory above the weights kept, issue 13), and copies every byte
/// once instead of twice or three times.
/// </remarks>
internal static class TensorMemory
{
    /// <summary>
    /// The bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) of
    /// <paramref name="tensor"/>, a contiguous CPU tensor of <paramref name="itemSize"/>-byte elements, to write into.
    /// Both bounds must fall on element boundaries.
    /// </summary>
    /// <remarks>The span points into the tensor's storage: it is valid while the tensor is alive and not resized.</remarks>
    public static Span<byte> Window(Tensor tensor, long offset, int length, int itemSize)
    {
        if (tensor.numel() * itemSize <= int.MaxValue)
        {
            // TorchSharp's bytes is a span over the tensor's own memory (of a contiguous CPU tensor), not a copy.
            return tensor.bytes.Slice((int)offset, length);
        }

        // A span cannot reach past 2 GiB, so a larger tensor is opened through a view of just the window. The view
        // shares the tensor's storage, which the tensor keeps alive after the view's handle is disposed.
        using Tensor flat = tensor.view(-1);
        using Tensor part = flat.narrow(0, offset / itemSize, length / itemSize);
        return part.bytes;
    }
}
