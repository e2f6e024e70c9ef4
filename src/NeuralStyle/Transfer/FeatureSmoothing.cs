namespace NeuralStyle.Transfer;

/// <summary>A mapping applied to activations before both losses.</summary>
public enum FeatureSmoothing
{
    /// <summary>Activations as they are (VGG, the seed).</summary>
    None,

    /// <summary>
    /// SWAG (Wang, Li and Vasconcelos, CVPR 2021): a softmax over all C*H*W entries of a layer, multiplied by C*H*W so
    /// that the values average 1 and the seed's loss weights stay in a sane range. It flattens the peaky, low-entropy
    /// activations of residual networks that otherwise give poor style transfer.
    /// </summary>
    Swag,
}
