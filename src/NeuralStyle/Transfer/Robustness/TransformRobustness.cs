namespace NeuralStyle.Transfer.Robustness;

/// <summary>Random geometric changes of the image before the network at every iteration (transformation robustness).</summary>
/// <remarks>
/// The image the network sees is shifted by up to <see cref="JitterPixels"/>, scaled by a factor in
/// [<see cref="ScaleMin"/>, <see cref="ScaleMax"/>] and rotated by up to <see cref="RotationDegrees"/> either way, the
/// content target moving with it; a pattern that only lowers the loss at one alignment (the network's stride grid,
/// adversarial high frequencies) then stops paying. The draws come from the run's seed and the iteration number.
/// </remarks>
/// <param name="JitterPixels">Largest shift, in pixels of the image being optimised.</param>
/// <param name="ScaleMin">Smallest scale factor (1 = none).</param>
/// <param name="ScaleMax">Largest scale factor (1 = none).</param>
/// <param name="RotationDegrees">Largest rotation either way, in degrees.</param>
public sealed record TransformRobustness(double JitterPixels = 0, double ScaleMin = 1, double ScaleMax = 1, double RotationDegrees = 0)
{
    /// <summary>No transformation (the seed).</summary>
    public static TransformRobustness None { get; } = new();

    /// <summary>Largest jitter accepted, in pixels (beyond it the image would mostly be its own reflection).</summary>
    public const double MaxJitterPixels = 256;

    /// <summary>Largest rotation accepted, in degrees.</summary>
    public const double MaxRotationDegrees = 45;

    /// <summary>The scale factors accepted: [1/4, 4].</summary>
    public const double MaxScaleFactor = 4;

    /// <summary>True when no transformation is drawn.</summary>
    public bool IsNone => JitterPixels == 0 && ScaleMin == 1 && ScaleMax == 1 && RotationDegrees == 0;

    /// <summary>One-line reasons for values out of range, named as the front end calls them (<paramref name="jitterName"/> etc.); empty when fine.</summary>
    public IEnumerable<string> Problems(string jitterName = "jitter", string scaleName = "scale range", string rotationName = "rotation")
    {
        if (SettingLimits.NonNegative(jitterName, JitterPixels) is string jitter)
        {
            yield return jitter;
        }
        else if (JitterPixels > MaxJitterPixels)
        {
            yield return $"{jitterName} must be at most {MaxJitterPixels} pixels (got {JitterPixels})";
        }

        if ((SettingLimits.Positive($"{scaleName} minimum", ScaleMin) ?? SettingLimits.Positive($"{scaleName} maximum", ScaleMax)) is string scale)
        {
            yield return scale;
        }
        else if (ScaleMin > ScaleMax || ScaleMin < 1 / MaxScaleFactor || ScaleMax > MaxScaleFactor)
        {
            yield return $"{scaleName} must be MIN MAX with 0.25 <= MIN <= MAX <= 4 (got {ScaleMin} {ScaleMax})";
        }

        if (SettingLimits.NonNegative(rotationName, RotationDegrees) is string rotation)
        {
            yield return rotation;
        }
        else if (RotationDegrees > MaxRotationDegrees)
        {
            yield return $"{rotationName} must be at most {MaxRotationDegrees} degrees (got {RotationDegrees})";
        }
    }
}
