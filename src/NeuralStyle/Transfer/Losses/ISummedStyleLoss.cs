using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>A style loss whose statistic is made of sums over pixels, so that it can be gathered block by block (tiling).</summary>
/// <remarks>
/// Gram matrices, means and covariances are sums over the pixels of per-pixel products divided by the pixel count;
/// the sums of the blocks of an image add up to the sums of the whole. A statistic that is not such a sum (the sorted
/// projections of the sliced Wasserstein loss) cannot be tiled exactly, and its loss does not implement this.
/// </remarks>
internal interface ISummedStyleLoss : IStyleLoss
{
    /// <summary>The degree in the features of each sum of <see cref="Sums"/> (1 for sum x, 2 for sum x x^T): a scaling of the features by k scales that sum by k^degree.</summary>
    IReadOnlyList<int> Degrees { get; }

    /// <summary>The sums over the pixels of a 1 x C x h x w activation (part of a larger one), differentiable.</summary>
    IReadOnlyList<Tensor> Sums(Tensor features);

    /// <summary>The target of a style whose sums over all its <paramref name="pixels"/> pixels are <paramref name="totals"/> (float64).</summary>
    ISummedStyleTarget TargetFromSums(IReadOnlyList<Tensor> totals, long pixels);
}

/// <summary>A style target that can also compare sums gathered block by block (see <see cref="ISummedStyleLoss"/>).</summary>
internal interface ISummedStyleTarget : IStyleTarget
{
    /// <summary>The loss of an activation whose sums over all its <paramref name="pixels"/> pixels are <paramref name="totals"/>, differentiable in them (computed in their type).</summary>
    Tensor LossFromSums(IReadOnlyList<Tensor> totals, long pixels);
}
