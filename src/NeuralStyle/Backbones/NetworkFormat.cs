namespace NeuralStyle.Backbones;

/// <summary>The weight-file formats a backbone can be read from.</summary>
public enum NetworkFormat
{
    /// <summary>A MatConvNet SimpleNN network in a MAT file (the seed's imagenet-vgg-verydeep-19.mat).</summary>
    MatConvNet,

    /// <summary>An ONNX model.</summary>
    Onnx,

    /// <summary>A state dict saved by torch.save in its zip format (PyTorch 1.6 and later).</summary>
    TorchZip,

    /// <summary>A state dict saved by torch.save in its legacy format (torchvision's vgg19-dcbb9e9d.pth).</summary>
    TorchLegacy,

    /// <summary>A safetensors file.</summary>
    SafeTensors,

    /// <summary>A Caffe .caffemodel (a binary protobuf NetParameter).</summary>
    Caffe,
}
