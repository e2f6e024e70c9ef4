namespace NeuralStyle.Backbones;

/// <summary>The three kinds of layer in VGG's convolutional part.</summary>
public enum VggLayerKind
{
    /// <summary>3x3 convolution with bias.</summary>
    Convolution,

    /// <summary>Rectified linear unit.</summary>
    Relu,

    /// <summary>2x2 stride-2 pooling.</summary>
    Pool,
}
