using System.Globalization;
using NeuralStyle.Backbones.VggSources;
using NeuralStyle.Weights;
using NeuralStyle.Weights.Caffe;
using NeuralStyle.Weights.PyTorch;
using NeuralStyle.Weights.SafeTensors;
using static TorchSharp.torch;

namespace NeuralStyle.Backbones;

/// <summary>What <see cref="WeightsConversion.ToSafeTensors"/> wrote.</summary>
/// <param name="InputFormat">The input's format.</param>
/// <param name="TensorCount">The number of tensors written.</param>
/// <param name="Bytes">The output file's size.</param>
/// <param name="Network">"VGG-19 (torchvision convention)" when the weights are a VGG the engine reads, else null.</param>
public sealed record WeightsConversionResult(NetworkFormat InputFormat, int TensorCount, long Bytes, string? Network);

/// <summary>Rewrites any weight file the program reads as a safetensors file, which loads fastest and cannot execute code.</summary>
/// <remarks>
/// <para>State dicts (torch.save, safetensors) and .caffemodel blobs are copied tensor for tensor, names and dtypes
/// unchanged (Caffe's as conv1_1.weight, fc6.weight, ...), so the result serves every use the input served, the zoo's
/// <c>--weights</c> included. A MatConvNet or ONNX VGG has no state dict: its convolutions are written under Caffe's
/// layer names (conv1_1.weight ..).</para>
/// <para>When the weights are a VGG, the input convention read from the input (which for a state dict depends on its
/// classifier's key names, for a .mat on its mean pixel) is recorded in the safetensors metadata
/// (<see cref="VggStateDictLayout.ConventionKey"/>, <see cref="VggStateDictLayout.MeanKey"/>), so the converted file
/// means exactly what the input meant whatever keys it keeps.</para>
/// </remarks>
public static class WeightsConversion
{
    /// <summary>Converts <paramref name="input"/> to <paramref name="output"/> (written through a temporary file).</summary>
    /// <exception cref="IOException">The input cannot be read or is not convertible, or the output exists and <paramref name="overwrite"/> is false.</exception>
    public static WeightsConversionResult ToSafeTensors(string input, string output, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (!File.Exists(input))
        {
            throw new FileNotFoundException($"{input}: no such file", input);
        }

        if (!overwrite && File.Exists(output))
        {
            throw new IOException($"{output} exists; choose another name or allow overwriting it");
        }

        if (Path.GetFullPath(input) == Path.GetFullPath(output))
        {
            throw new IOException($"{output}: the output would replace the input");
        }

        NetworkFormat format = NetworkFiles.Detect(input);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt", ["neural-style.source"] = Path.GetFileName(input) };
        IReadOnlyDictionary<string, Tensor> tensors = format switch
        {
            NetworkFormat.TorchZip or NetworkFormat.TorchLegacy => PyTorchCheckpoint.Read(input),
            NetworkFormat.SafeTensors => SafeTensorsFile.Read(input),
            NetworkFormat.Caffe => CaffeTensors(input),
            _ => ConvolutionsOf(VggWeightFile.Read(input, format), metadata),
        };
        try
        {
            string? network = metadata.ContainsKey(VggStateDictLayout.ConventionKey) ? Network(metadata) : DescribeVgg(input, format, tensors, metadata);
            SafeTensorsWriter.Write(output, tensors, metadata);
            return new WeightsConversionResult(format, tensors.Count, new FileInfo(output).Length, network);
        }
        finally
        {
            foreach (Tensor t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }

    private static IReadOnlyDictionary<string, Tensor> CaffeTensors(string input)
    {
        using CaffeModel model = CaffeModelFile.Read(input);
        return model.StateDict();
    }

    // A .mat or ONNX VGG: its convolutions under Caffe's names, with the convention it was read with.
    private static IReadOnlyDictionary<string, Tensor> ConvolutionsOf(VggSource source, Dictionary<string, string> metadata)
    {
        using (source)
        {
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (VggConvolution c in source.Convolutions)
            {
                tensors[c.Name + ".weight"] = c.Weight.clone();
                tensors[c.Name + ".bias"] = c.Bias.clone();
            }

            Record(source, metadata);
            return tensors;
        }
    }

    // A state dict or .caffemodel that is a VGG gets its convention recorded; any other state dict is copied as it is.
    private static string? DescribeVgg(string input, NetworkFormat format, IReadOnlyDictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        if (!tensors.Keys.Any(VggStateDictLayout.IsFeatureKey))
        {
            return null;
        }

        try
        {
            // The layout reader disposes what it is given: give it aliases of the tensors, which are written afterwards.
            var aliases = tensors.ToDictionary(kv => kv.Key, kv => kv.Value.alias(), StringComparer.Ordinal);
            IReadOnlyDictionary<string, string>? declared = format == NetworkFormat.SafeTensors ? SafeTensorsFile.ReadHeader(input).Metadata : null;
            using VggSource source = VggStateDictLayout.Read(input, aliases, format.ToString(), declared);
            Record(source, metadata);
            return Network(metadata);
        }
        catch (Weights.MatConvNet.NetworkFormatException)
        {
            // Not a plain VGG (a batch-normalised one, or another network that happens to use such keys): copied as it is.
            return null;
        }
    }

    private static void Record(VggSource source, Dictionary<string, string> metadata)
    {
        metadata[VggStateDictLayout.ConventionKey] = VggInputConventions.Key(source.Convention);
        metadata["neural-style.architecture"] = source.Architecture;
        if (source.Convention == VggInputConvention.MatConvNet)
        {
            metadata[VggStateDictLayout.MeanKey] = string.Join(",", source.MeanRgb.Select(m => m.ToString("R", CultureInfo.InvariantCulture)));
        }
    }

    private static string Network(Dictionary<string, string> metadata) =>
        $"{metadata.GetValueOrDefault("neural-style.architecture", "VGG")} ({metadata[VggStateDictLayout.ConventionKey]} input convention)";
}
