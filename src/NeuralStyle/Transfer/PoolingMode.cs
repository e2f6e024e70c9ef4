namespace NeuralStyle.Transfer;

/// <summary>How the VGG pooling layers reduce a 2x2 window.</summary>
public enum PoolingMode
{
    /// <summary>Maximum, as in the trained network.</summary>
    Max,

    /// <summary>Average over the valid (unpadded) pixels; Gatys et al. report smoother results with it.</summary>
    Avg,
}
