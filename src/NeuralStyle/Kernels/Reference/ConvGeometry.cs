namespace NeuralStyle.Kernels.Reference;

/// <summary>
/// The geometry of a 2-D convolution: PyTorch's conv2d / conv_transpose2d arguments. Pairs are (height, width).
/// </summary>
/// <param name="Stride">The step between output positions (conv2d) or input positions spread over the output (transposed); at least 1.</param>
/// <param name="Padding">Zero padding on each side of the input (conv2d), or cropped from each side of the output (transposed); at least 0.</param>
/// <param name="Dilation">The step between kernel taps; at least 1.</param>
/// <param name="Groups">The number of channel groups; divides the input and output channel counts.</param>
/// <param name="OutputPadding">
/// Extra rows / columns added at the bottom / right of a transposed convolution's output (conv_transpose2d's
/// output_padding); must be zero for a plain convolution, which has no such argument.
/// </param>
public sealed record ConvGeometry(
    (int H, int W) Stride,
    (int H, int W) Padding,
    (int H, int W) Dilation,
    int Groups,
    (int H, int W) OutputPadding = default);
