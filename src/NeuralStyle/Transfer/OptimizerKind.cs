namespace NeuralStyle.Transfer;

/// <summary>The optimisers the engine can drive.</summary>
public enum OptimizerKind
{
    /// <summary>Adam in TensorFlow's form, the seed's.</summary>
    Adam,

    /// <summary>L-BFGS (fewer iterations for this problem; 2 x history image-sized tensors of memory).</summary>
    Lbfgs,
}
