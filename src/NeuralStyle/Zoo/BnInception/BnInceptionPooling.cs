namespace NeuralStyle.Zoo.BnInception;

/// <summary>The pooling branch of a BN-Inception module.</summary>
public enum BnInceptionPooling
{
    /// <summary>3x3/1 average pool (padding counted) followed by a 1x1 projection.</summary>
    Average,

    /// <summary>3x3/1 max pool followed by a 1x1 projection (5b only).</summary>
    Max,

    /// <summary>3x3/2 max pool passed through unprojected, in a module that halves the resolution (3c, 4e).</summary>
    Reduction,
}
