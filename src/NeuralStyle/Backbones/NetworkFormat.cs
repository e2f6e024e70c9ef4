namespace NeuralStyle.Backbones;

/// <summary>The weight-file formats a backbone can be read from.</summary>
public enum NetworkFormat
{
    /// <summary>A MatConvNet SimpleNN network in a MAT file (the seed's imagenet-vgg-verydeep-19.mat).</summary>
    MatConvNet,

    /// <summary>An ONNX model.</summary>
    Onnx,
}
