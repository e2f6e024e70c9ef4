using NeuralStyle.Backbones.VggSources;
using NeuralStyle.Transfer;
using NeuralStyle.Weights;
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

    /// <summary>The formats <see cref="Detect"/> recognises, for messages.</summary>
    public const string Accepted = "a MatConvNet .mat, an ONNX model, a PyTorch state dict (torch.save, zip or legacy), a safetensors file or a Caffe .caffemodel";

    /// <summary>
    /// The format by the first bytes, never by the name alone (weights are renamed and downloaded under other names):
    /// MAT files start with a "MATLAB" text header; torch.save and safetensors files as <see cref="StateDictFile"/>
    /// tells; an ONNX file is a protobuf ModelProto, whose first field is almost always ir_version (tag byte 0x08); a
    /// .caffemodel is a protobuf NetParameter, which starts with its name (0x0A), V1 layers (0x12) or V2 layers (field
    /// 100: 0xA2 0x06). The extension decides only when the content says nothing.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is none of these formats.</exception>
    public static NetworkFormat Detect(string path)
    {
        byte[] head = new byte[300];
        int read;
        long length;
        using (FileStream stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            length = stream.Length;
        }

        ReadOnlySpan<byte> start = head.AsSpan(0, read);
        if (start.StartsWith("MATLAB"u8))
        {
            return NetworkFormat.MatConvNet;
        }

        switch (StateDictFile.Detect(start, length))
        {
            case StateDictFormat.TorchZip:
                return NetworkFormat.TorchZip;
            case StateDictFormat.TorchLegacy:
                return NetworkFormat.TorchLegacy;
            case StateDictFormat.SafeTensors:
                return NetworkFormat.SafeTensors;
        }

        if (read >= 2 && head[0] == 0x08 && head[1] is > 0 and < 0x80)
        {
            return NetworkFormat.Onnx;
        }

        if (read >= 2 && (head[0] is 0x0A or 0x12 || (head[0] == 0xA2 && head[1] == 0x06)))
        {
            return NetworkFormat.Caffe;
        }

        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".onnx" => NetworkFormat.Onnx,
            ".mat" => NetworkFormat.MatConvNet,
            ".caffemodel" => NetworkFormat.Caffe,
            _ => throw new InvalidDataException(read == 0 ? $"{path}: the file is empty; expected {Accepted}" : $"{path}: not a network file this program reads; expected {Accepted}"),
        };
    }

    /// <summary>Opens <paramref name="path"/> with just the layers <paramref name="settings"/> will read.</summary>
    /// <remarks>
    /// Every VGG, from whichever file, becomes the same network: the seed's layers (conv1_1 .. relu5_4) in the seed's
    /// pixel units, its own input convention folded into conv1_1 (<see cref="VggSource.FoldedLayers"/>), so that the
    /// seed's flags and defaults apply unchanged. An ONNX model that is not a VGG runs as a generic graph.
    /// </remarks>
    public static IFeatureNetwork Open(string path, PoolingMode pooling, StyleTransferSettings settings)
    {
        NetworkFormat format = Detect(path);
        switch (format)
        {
            case NetworkFormat.MatConvNet:
                return MatConvNetVgg.Load(path, pooling, settings.LayersInUse(BackboneDefaults.Vgg));
            case NetworkFormat.Onnx:
                return OpenOnnx(path, pooling, settings);
            default:
                return VggSourceNetwork.Build(VggWeightFile.Read(path, format), pooling, settings.LayersInUse(BackboneDefaults.Vgg));
        }
    }

    private static IFeatureNetwork OpenOnnx(string path, PoolingMode pooling, StyleTransferSettings settings)
    {
        OnnxModel model = OnnxModel.Load(path);
        if (!IsBundledResNet18(model) && VggOnnxLayout.TryRead(model) is VggSource vgg)
        {
            return VggSourceNetwork.Build(vgg, pooling, settings.LayersInUse(BackboneDefaults.Vgg));
        }

        var graph = new OnnxGraph(model);
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

    private static bool IsBundledResNet18(OnnxModel model) =>
        model.Inputs.Any(i => i.Name == "Input247") && model.Outputs.Any(o => o.Name == "Pooling395_Output_0");

    // ML.NET's ResNet-18 is recognised by its graph's signature rather than by file name, so a renamed copy works.
    private static bool IsBundledResNet18(OnnxGraph graph) =>
        graph.Inputs is [{ Name: "Input247" }] && graph.Outputs.Any(o => o.Name == "Pooling395_Output_0")
        && BundledResNet18.Aliases.Values.All(graph.ValueNames.Contains);
}
