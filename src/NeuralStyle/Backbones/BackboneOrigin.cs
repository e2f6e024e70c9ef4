namespace NeuralStyle.Backbones;

/// <summary>How a run's backbone was chosen (see <see cref="BackboneSelection.Resolve"/>).</summary>
public enum BackboneOrigin
{
    /// <summary>A file named by --network.</summary>
    NetworkOption,

    /// <summary>The seed's VGG-19 file, found in the working directory.</summary>
    DefaultFile,

    /// <summary>The ResNet-18 bundled with the program.</summary>
    Bundled,

    /// <summary>A zoo model with its weights file.</summary>
    ZooWeights,

    /// <summary>A zoo model with random weights (listing layers only).</summary>
    ZooRandomWeights,

    /// <summary>A known weight file named by --network NAME, found verified in the weights cache or torch.hub's.</summary>
    WeightsCache,
}
