using NeuralStyle.Weights.Caffe;
using NeuralStyle.Weights.MatConvNet;
using NeuralStyle.Weights.Onnx;
using NeuralStyle.Weights.PyTorch;
using NeuralStyle.Weights.SafeTensors;
using static TorchSharp.torch;

namespace NeuralStyle.Backbones.VggSources;

/// <summary>Reads a VGG's convolutions from a weight file in any format the program reads, with the file's input convention.</summary>
public static class VggWeightFile
{
    /// <summary>Reads <paramref name="path"/>, whose format was told from its content (<see cref="NetworkFiles.Detect"/>).</summary>
    /// <exception cref="IOException">The file is damaged, or is not a VGG (<see cref="NetworkFormatException"/>).</exception>
    public static VggSource Read(string path, NetworkFormat format)
    {
        switch (format)
        {
            case NetworkFormat.TorchZip or NetworkFormat.TorchLegacy:
                IReadOnlyDictionary<string, Tensor> selected = PyTorchCheckpoint.Read(path, VggStateDictLayout.IsFeatureKey, out IReadOnlyList<string> keys);
                return VggStateDictLayout.Read(path, selected, format == NetworkFormat.TorchZip ? "torch.save zip file" : "legacy torch.save file", allKeys: keys);
            case NetworkFormat.SafeTensors:
                SafeTensorsHeader header = SafeTensorsFile.ReadHeader(path);
                IReadOnlyDictionary<string, Tensor> features = SafeTensorsFile.Read(path, VggStateDictLayout.IsFeatureKey);
                return VggStateDictLayout.Read(path, features, "safetensors file", header.Metadata, header.Entries.Select(e => e.Name));
            case NetworkFormat.Caffe:
                // Only the convolutions' blobs are read: the classifier (fc6 alone is 392 MiB of VGG-19) is skipped.
                using (CaffeModel model = CaffeModelFile.Read(path, layer => layer.StartsWith("conv", StringComparison.Ordinal)))
                {
                    return VggStateDictLayout.Read(path, model.StateDict(), ".caffemodel" + (model.Name.Length > 0 ? $" '{model.Name}'" : ""));
                }

            case NetworkFormat.Onnx:
                return VggOnnxLayout.TryRead(OnnxModel.Load(path))
                    ?? throw new NetworkFormatException(path, "the ONNX graph is not a VGG (a chain of Conv, Relu and 2x2 MaxPool from the image)");
            default:
                using (VggFeatureNetwork network = MatConvNetVgg.Load(path, Transfer.PoolingMode.Max, (IReadOnlyCollection<string>?)null))
                {
                    return FromMatConvNet(path, network);
                }
        }
    }

    private static VggSource FromMatConvNet(string path, VggFeatureNetwork network)
    {
        var convolutions = new List<VggConvolution>();
        try
        {
            foreach (VggLayer layer in network.Layers.Where(l => l.Kind == VggLayerKind.Convolution))
            {
                System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(layer.Name, @"^conv(\d+)_(\d+)$");
                if (!m.Success)
                {
                    throw new NetworkFormatException(path, $"layer '{layer.Name}' is not named convB_I as a VGG's are");
                }

                convolutions.Add(new VggConvolution(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), layer.Weight!.clone(), layer.Bias!.clone()));
            }

            return new VggSource(convolutions, VggInputConvention.MatConvNet, "MatConvNet .mat file", network.Pixels.Mean);
        }
        catch
        {
            VggConvolution.DisposeAll(convolutions);

            throw;
        }
    }
}
