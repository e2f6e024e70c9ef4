using static TorchSharp.torch;

namespace NeuralStyle.Weights.Caffe;

/// <summary>One BlobProto of a layer: its float32 values as a contiguous CPU tensor of the blob's shape.</summary>
/// <remarks>
/// The shape is the blob's <c>shape</c> message when it has one, else the legacy num x channels x height x width
/// (always 4-d, as Caffe itself reads such a blob: a V1 bias is 1x1x1xN). <c>double_data</c> is converted to float32.
/// </remarks>
public sealed class CaffeBlob : IDisposable
{
    internal CaffeBlob(long[] shape, Tensor data)
    {
        Shape = shape;
        Data = data;
    }

    /// <summary>The blob's dimensions, as stored in the file.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The values, float32, shaped as <see cref="Shape"/>; owned by this blob.</summary>
    public Tensor Data { get; }

    /// <summary>Frees the tensor.</summary>
    public void Dispose() => Data.Dispose();
}
