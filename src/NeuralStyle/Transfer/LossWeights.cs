namespace NeuralStyle.Transfer;

/// <summary>Loss weights and Adam's step size as one set, since they only make sense together for a given backbone.</summary>
public sealed record LossWeights(double Content, double Style, double Tv, double LearningRate)
{
    /// <summary>The seed's: content 5, style 100, TV 100, learning rate 10 (tuned for VGG-19 from MatConvNet).</summary>
    public static LossWeights Seed { get; } = new(5, 100, 100, 10);
}
