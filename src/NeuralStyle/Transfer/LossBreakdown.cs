namespace NeuralStyle.Transfer;

/// <summary>The loss terms of one image, weights included, as the seed prints them.</summary>
public sealed record LossBreakdown(double Content, double Style, double TotalVariation)
{
    /// <summary>Sum of the three terms.</summary>
    public double Total => Content + Style + TotalVariation;
}
