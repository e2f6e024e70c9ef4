using System.Text;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.MatConvNet;
using NeuralStyle.Weights.Onnx;

namespace NeuralStyle.Backbones;

/// <summary>Opens a weight file as a style-transfer backbone, recognising its format by content.</summary>
public static class NetworkFiles
{
    /// <summary>
    /// torchvision's input convention (RGB in 0..1, ImageNet mean and std), which most ONNX exports of ImageNet
    /// classifiers expect; used for ONNX models that are not otherwise known.
    /// </summary>
    public static PixelConvention TorchvisionPixels { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f], 1 / 255f, bgr: false);

    /// <summary>
    /// The format by the first bytes: MAT files start with a "MATLAB" text header; an ONNX file is a protobuf
    /// ModelProto, whose first field is almost always ir_version (tag byte 0x08). The extension decides only when the
    /// content says nothing.
    /// </summary>
    public static NetworkFormat Detect(string path)
    {
        byte[] head = new byte[8];
        int read;
        using (FileStream stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (read >= 6 && Encoding.ASCII.GetString(head, 0, 6) == "MATLAB")
        {
            return NetworkFormat.MatConvNet;
        }

        if (read >= 2 && head[0] == 0x08 && head[1] is > 0 and < 0x80)
        {
            return NetworkFormat.Onnx;
        }

        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".onnx" => NetworkFormat.Onnx,
            ".mat" => NetworkFormat.MatConvNet,
            _ => throw new InvalidDataException($"{path}: neither a MAT file (MatConvNet network) nor an ONNX model"),
        };
    }

    /// <summary>Opens <paramref name="path"/> with just the layers <paramref name="settings"/> will read.</summary>
    public static IFeatureNetwork Open(string path, PoolingMode pooling, StyleTransferSettings settings)
    {
        switch (Detect(path))
        {
            case NetworkFormat.MatConvNet:
                return MatConvNetVgg.Load(path, pooling, settings.LayersInUse(BackboneDefaults.Vgg));
            default:
                OnnxGraph graph = OnnxGraph.Load(path);
                try
                {
                    if (IsBundledResNet18(graph))
                    {
                        return new OnnxFeatureNetwork(graph, BundledResNet18.Pixels, BundledResNet18.Defaults, BundledResNet18.Aliases, "ResNet-18 (ImageNet, ML.NET's CNTK export)");
                    }

                    if (settings.ContentLayers is null || settings.StyleLayers is null)
                    {
                        throw new ArgumentException($"{path}: an ONNX model has no default layers; name them with --content-layers and --style-layers (list them with `neural-style layers --network {path}`)");
                    }

                    return new OnnxFeatureNetwork(graph, TorchvisionPixels, new BackboneDefaults([.. settings.ContentLayers.Select(l => l.Layer)], [.. settings.StyleLayers.Select(l => l.Layer)], FeatureSmoothing.Swag));
                }
                catch
                {
                    graph.Dispose();
                    throw;
                }
        }
    }

    // ML.NET's ResNet-18 is recognised by its graph's signature rather than by file name, so a renamed copy works.
    private static bool IsBundledResNet18(OnnxGraph graph) =>
        graph.Inputs is [{ Name: "Input247" }] && graph.Outputs.Any(o => o.Name == "Pooling395_Output_0")
        && BundledResNet18.Aliases.Values.All(graph.ValueNames.Contains);
}
