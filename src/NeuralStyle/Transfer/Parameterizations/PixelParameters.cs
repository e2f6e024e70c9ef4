using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Parameterizations;

/// <summary>The seed's parameterisation: the optimiser changes the pixels, optionally in decorrelated colour coordinates.</summary>
internal sealed class PixelParameters : IImageParameters
{
    private readonly ColorBasis? _colors;

    /// <param name="variable">The pixels (or, with <paramref name="colors"/>, their colour coordinates), owned by this object.</param>
    /// <param name="colors">The colour basis, or null for the network's own channels.</param>
    public PixelParameters(Tensor variable, ColorBasis? colors)
    {
        Variable = variable.DetachFromDisposeScope();
        _colors = colors;
    }

    public Tensor Variable { get; }

    public bool IsImage => _colors is null;

    /// <summary>The variable that renders <paramref name="image"/> exactly.</summary>
    public static Tensor Encode(Tensor image, ColorBasis? colors) => colors is null ? image.clone() : colors.ToCoordinates(image);

    public Tensor Render() => _colors is null ? Variable : _colors.ToImage(Variable);

    public void Dispose() => Variable.Dispose();
}
