namespace NeuralStyle.Weights.Onnx;

/// <summary>A node whose explicit pads were recognised as baked-in "same" padding (see <see cref="OnnxImportOptions.RecomputeSamePadding"/>).</summary>
/// <param name="Node">The Conv, MaxPool or AveragePool node.</param>
/// <param name="Mode">The auto_pad mode it now uses: <c>SAME_LOWER</c> or <c>SAME_UPPER</c>.</param>
/// <param name="DeclaredInputSize">The spatial input size at the node for the model's declared input, which the pads were made for.</param>
/// <param name="Pads">The pads as written in the file (starts, then ends).</param>
public sealed record OnnxPaddingRecompute(OnnxNode Node, string Mode, IReadOnlyList<long> DeclaredInputSize, IReadOnlyList<long> Pads);
