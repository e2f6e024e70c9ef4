using NeuralStyle.Weights.Onnx;
using static TorchSharp.torch;

namespace NeuralStyle.Backbones.VggSources;

/// <summary>Recognises a VGG in an ONNX model (the model zoo's vgg19-7.onnx, torch.onnx.export of torchvision's VGG) and takes its convolutions.</summary>
/// <remarks>
/// A VGG's graph is a chain from the image: Conv (odd square kernel, stride 1, "same" padding, no groups or dilation)
/// and Relu, with a 2x2/2 MaxPool closing each block, until the classifier starts (Flatten, Reshape, Gemm, ...). Read
/// as weights rather than run as a graph, the network is the seed's, with the seed's layer names and its SAME
/// pooling on odd sizes, whatever exporter made the file. ONNX carries no preprocessing: the exports of ImageNet VGGs
/// expect torchvision's normalisation, which is assumed (and recorded).
/// </remarks>
public static class VggOnnxLayout
{
    private const int VggBlocks = 5;

    /// <summary>The VGG in <paramref name="model"/>, or null when its graph is not a VGG chain (it then runs as a generic ONNX backbone).</summary>
    public static VggSource? TryRead(OnnxModel model)
    {
        string[] inputs = [.. model.Inputs.Select(i => i.Name).Where(n => !model.Initializers.ContainsKey(n))];
        if (inputs.Length != 1)
        {
            return null;
        }

        string current = inputs[0];
        var found = new List<(OnnxTensorData Weight, OnnxTensorData? Bias, int Block, int Index)>();
        int block = 1, index = 0;
        bool blockOpen = false;
        foreach (OnnxNode node in model.Nodes)
        {
            if (!node.Inputs.Contains(current))
            {
                continue;
            }

            // A chain: each value feeds one node. A branch (a residual block, an Inception module) is not a VGG.
            if (node.Inputs[0] != current || node.Outputs.Count == 0 || model.Nodes.Count(n => n.Inputs.Contains(current)) > 1)
            {
                return null;
            }

            switch (node.OpType)
            {
                case "Conv" when IsSameConv(model, node):
                    index++;
                    blockOpen = true;
                    found.Add((model.Initializers[node.Inputs[1]], node.Inputs.Count > 2 && node.Inputs[2].Length > 0 ? model.Initializers.GetValueOrDefault(node.Inputs[2]) : null, block, index));
                    if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0 && found[^1].Bias is null)
                    {
                        return null;
                    }

                    break;
                case "Relu" when blockOpen:
                    break;
                case "MaxPool" when blockOpen && IsHalvingPool(node):
                    block++;
                    index = 0;
                    blockOpen = false;
                    break;
                default:
                    return blockOpen ? null : Build(model, found);
            }

            current = node.Outputs[0];
        }

        return blockOpen ? null : Build(model, found);
    }

    // The feature part ends with a block's pooling (torchvision's features, and the graph before the classifier), and
    // has VGG's five blocks: a smaller chain (a LeNet-like CNN) keeps its own ONNX value names as a generic graph.
    private static VggSource? Build(OnnxModel model, List<(OnnxTensorData Weight, OnnxTensorData? Bias, int Block, int Index)> found)
    {
        if (found.Count == 0 || found[^1].Block != VggBlocks || found.Any(f => f.Weight.DataType is not (OnnxDataType.Float or OnnxDataType.Float16 or OnnxDataType.BFloat16 or OnnxDataType.Double)))
        {
            return null;
        }

        var convolutions = new List<VggConvolution>();
        try
        {
            foreach ((OnnxTensorData w, OnnxTensorData? b, int block, int index) in found)
            {
                using Tensor rawWeight = w.ToTensor();
                Tensor weight = rawWeight.to_type(ScalarType.Float32).contiguous();
                Tensor bias;
                if (b is null)
                {
                    bias = zeros(w.Dimensions[0], ScalarType.Float32);
                }
                else
                {
                    using Tensor rawBias = b.ToTensor();
                    bias = rawBias.to_type(ScalarType.Float32).contiguous();
                }

                convolutions.Add(new VggConvolution(block, index, weight, bias));
            }

            VggChain.Check(model.SourceName, convolutions, name => found[convolutions.FindIndex(c => c.Name == name)].Weight.Name);
            return new VggSource(convolutions, VggInputConvention.Torchvision, $"ONNX graph by {model.Producer}, opset {model.OpsetVersion}, which records no input convention: torchvision's is assumed");
        }
        catch
        {
            VggConvolution.DisposeAll(convolutions);

            throw;
        }
    }

    private static bool IsSameConv(OnnxModel model, OnnxNode node)
    {
        if (node.Inputs.Count < 2 || !model.Initializers.TryGetValue(node.Inputs[1], out OnnxTensorData? weight) || weight.Dimensions.Count != 4)
        {
            return false;
        }

        long k = weight.Dimensions[2];
        if (weight.Dimensions[3] != k || k % 2 == 0)
        {
            return false;
        }

        long half = (k - 1) / 2;
        string autoPad = node.Attributes.TryGetValue("auto_pad", out OnnxAttribute? a) ? a.String : "NOTSET";
        bool padded = autoPad is "SAME_UPPER" or "SAME_LOWER"
            || (autoPad is "NOTSET" or "" && Ints(node, "pads", 4, 0).All(p => p == half));
        return padded && Ints(node, "strides", 2, 1).All(s => s == 1) && Ints(node, "dilations", 2, 1).All(d => d == 1)
            && (!node.Attributes.TryGetValue("group", out OnnxAttribute? g) || g.Int == 1);
    }

    private static bool IsHalvingPool(OnnxNode node) =>
        Ints(node, "kernel_shape", 2, 0).All(k => k == 2) && Ints(node, "strides", 2, 1).All(s => s == 2)
        && Ints(node, "pads", 4, 0).All(p => p == 0)
        && (!node.Attributes.TryGetValue("auto_pad", out OnnxAttribute? a) || a.String is "NOTSET" or "" or "VALID");

    private static IReadOnlyList<long> Ints(OnnxNode node, string name, int count, long absent) =>
        node.Attributes.TryGetValue(name, out OnnxAttribute? a) ? a.Ints : [.. Enumerable.Repeat(absent, count)];
}
