namespace NeuralStyle.Backbones.VggSources;

/// <summary>How the images a VGG weight file was trained on were prepared: each source of VGG weights has its own.</summary>
public enum VggInputConvention
{
    /// <summary>torchvision (and timm's tv_* weights, and most ONNX exports): RGB in 0..1, minus ImageNet's mean, divided by its std.</summary>
    Torchvision,

    /// <summary>The original Caffe weights and their PyTorch conversions: BGR in 0..255 minus the mean pixel (103.939, 116.779, 123.68).</summary>
    Caffe,

    /// <summary>MatConvNet's conversion of the Caffe weights: RGB in 0..255 minus the mean pixel stored in the file.</summary>
    MatConvNet,
}
