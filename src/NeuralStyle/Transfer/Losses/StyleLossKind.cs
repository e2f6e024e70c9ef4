namespace NeuralStyle.Transfer.Losses;

/// <summary>Which statistic of a layer's activation the style loss matches (see <see cref="StyleLosses.Create"/>).</summary>
public enum StyleLossKind
{
    /// <summary>Gram matrices, mean((G(x) - G(s))^2), exactly the seed's term (Gatys et al. 2015).</summary>
    Gram,

    /// <summary>Per-channel mean and standard deviation over the pixels (the AdaIN statistics).</summary>
    MeanStd,

    /// <summary>Squared 2-Wasserstein distance between Gaussian fits (mean and C x C covariance), divided by C.</summary>
    Wasserstein2,

    /// <summary>Sliced Wasserstein distance over fresh random projections at every evaluation (Heitz et al. 2021).</summary>
    Sliced,
}
