using System.Globalization;
using System.Text.RegularExpressions;
using NeuralStyle.Weights;
using NeuralStyle.Weights.MatConvNet;
using static TorchSharp.torch;

namespace NeuralStyle.Backbones.VggSources;

/// <summary>Finds a VGG's convolutions in a state dict, whichever tool's key names it uses, and the input convention those names imply.</summary>
/// <remarks>
/// <para>Two naming schemes are in circulation:</para>
/// <list type="bullet">
/// <item><c>features.N.weight</c>: torchvision's <c>nn.Sequential</c> index (conv, relu, conv, relu, pool, ...), used by
/// torchvision, timm and jcjohnson/pytorch-vgg's Caffe conversion. Inside a block consecutive convolutions are 2 apart
/// (conv, relu); across a pooling 3 apart. The classifier tells the conversions apart: torchvision has
/// <c>classifier.0/3/6</c>, the Caffe conversion <c>classifier.1/4/6</c> (Caffe's weights, BGR 0..255 input).</item>
/// <item><c>conv1_1.weight</c>: the layer names of Caffe, Gatys et al.'s <c>vgg_conv.pth</c> and a .caffemodel; the
/// weights are Caffe's (BGR 0..255) unless the file's metadata says otherwise (files written by <c>weights convert</c>).</item>
/// </list>
/// <para>Keys outside the feature part (classifiers, timm's <c>pre_logits</c> and <c>head</c>) are ignored. A batch-normalised
/// VGG (vgg19_bn) is refused by name: its normalisation cannot be dropped, and the zoo runs it.</para>
/// </remarks>
public static partial class VggStateDictLayout
{
    /// <summary>The metadata key (safetensors <c>__metadata__</c>) that names the input convention.</summary>
    public const string ConventionKey = "neural-style.input";

    /// <summary>The metadata key that holds a MatConvNet-convention file's mean pixel, "R,G,B".</summary>
    public const string MeanKey = "neural-style.mean";

    /// <summary>True for the keys a VGG's feature part can use (the ones worth reading from a file).</summary>
    public static bool IsFeatureKey(string key) => FeaturesKey().IsMatch(key) || NamedKey().IsMatch(key) || FeaturesNormKey().IsMatch(key);

    /// <summary>
    /// Takes the convolutions out of <paramref name="stateDict"/> (converted to float32) and disposes every tensor of it,
    /// used or not.
    /// </summary>
    /// <param name="path">The file, for messages.</param>
    /// <param name="stateDict">Every tensor of the file; owned by this method from the call on.</param>
    /// <param name="format">The file's format in words, for the description ("legacy torch.save").</param>
    /// <param name="metadata">String metadata stored with the tensors (safetensors), or null.</param>
    /// <param name="allKeys">Every key of the file when <paramref name="stateDict"/> holds only some (a selective read); the classifier's keys tell the conventions apart.</param>
    /// <exception cref="NetworkFormatException">The keys are not a VGG's, the layers do not chain, or values are damaged.</exception>
    public static VggSource Read(string path, IReadOnlyDictionary<string, Tensor> stateDict, string format, IReadOnlyDictionary<string, string>? metadata = null, IEnumerable<string>? allKeys = null)
    {
        var taken = new List<VggConvolution>();
        try
        {
            (List<(int Block, int Index, string Prefix)> layout, VggInputConvention convention, string scheme) = Layout(path, allKeys ?? stateDict.Keys);
            convention = Declared(path, metadata) ?? convention;
            foreach ((int block, int index, string prefix) in layout)
            {
                Tensor weight = Take(path, stateDict, prefix + ".weight");
                Tensor bias;
                try
                {
                    bias = Take(path, stateDict, prefix + ".bias");
                }
                catch
                {
                    weight.Dispose();
                    throw;
                }

                taken.Add(new VggConvolution(block, index, weight, bias));
            }

            VggChain.Check(path, taken, name => layout.First(l => $"conv{l.Block}_{l.Index}" == name).Prefix);
            IReadOnlyList<float>? mean = convention == VggInputConvention.MatConvNet ? DeclaredMean(path, metadata) : null;
            return new VggSource(taken, convention, $"{format} with {scheme}", mean);
        }
        catch
        {
            VggConvolution.DisposeAll(taken);

            throw;
        }
        finally
        {
            foreach (Tensor t in stateDict.Values)
            {
                t.Dispose();
            }
        }
    }

    private static (List<(int, int, string)> Layout, VggInputConvention Convention, string Scheme) Layout(string path, IEnumerable<string> keyList)
    {
        string[] keys = [.. keyList];
        string? normalised = keys.FirstOrDefault(k => FeaturesNormKey().IsMatch(k));
        if (normalised is not null)
        {
            throw new NetworkFormatException(path, $"a batch-normalised VGG (key '{normalised}'): its normalisation layers are not part of the seed's network; run it as a zoo model instead, e.g. --network vgg19_bn --weights {path}");
        }

        int[] features = [.. keys.Select(k => FeaturesKey().Match(k)).Where(m => m.Success && m.Groups[2].Value == "weight")
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Order()];
        if (features.Length > 0)
        {
            bool caffe = keys.Contains("classifier.1.weight") || keys.Contains("classifier.4.weight");
            return (FeatureLayout(path, features), caffe ? VggInputConvention.Caffe : VggInputConvention.Torchvision,
                caffe ? "torchvision's key names and Caffe's classifier keys (pytorch-vgg's conversion)" : "torchvision's key names");
        }

        var named = keys.Select(k => NamedKey().Match(k)).Where(m => m.Success && m.Groups[3].Value == "weight")
            .Select(m => (Block: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Index: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .Order().ToList();
        if (named.Count > 0)
        {
            for (int i = 0; i < named.Count; i++)
            {
                (int block, int index) = named[i];
                bool follows = i == 0 ? block == 1 && index == 1
                    : (block == named[i - 1].Block && index == named[i - 1].Index + 1) || (block == named[i - 1].Block + 1 && index == 1);
                if (!follows)
                {
                    throw new NetworkFormatException(path, $"the convolutions are not numbered conv1_1, conv1_2, .., conv2_1, ..: conv{block}_{index} follows {(i == 0 ? "nothing" : $"conv{named[i - 1].Block}_{named[i - 1].Index}")}");
                }
            }

            return ([.. named.Select(n => (n.Block, n.Index, $"conv{n.Block}_{n.Index}"))], VggInputConvention.Caffe, "Caffe's layer names");
        }

        string sample = string.Join(", ", keys.Take(4).Select(k => $"'{k}'")) + (keys.Length > 4 ? $", .. ({keys.Length} keys)" : keys.Length == 0 ? "no keys" : "");
        throw new NetworkFormatException(path, $"not a VGG: expected keys features.N.weight (torchvision, timm, pytorch-vgg) or conv1_1.weight (Caffe, Gatys et al.); the file has {sample} (a zoo model's weights go with --network MODEL --weights FILE)");
    }

    // torchvision's Sequential: conv at N, relu at N+1, then either the next conv at N+2 or a pool at N+2 and the next
    // conv at N+3. Anything else is not a plain VGG.
    private static List<(int, int, string)> FeatureLayout(string path, int[] indices)
    {
        if (indices[0] != 0)
        {
            throw new NetworkFormatException(path, $"the first convolution is features.{indices[0]}, not features.0");
        }

        var layout = new List<(int, int, string)>();
        int block = 1, index = 1;
        for (int i = 0; i < indices.Length; i++)
        {
            if (i > 0)
            {
                int step = indices[i] - indices[i - 1];
                if (step == 3)
                {
                    block++;
                    index = 1;
                }
                else if (step == 2)
                {
                    index++;
                }
                else
                {
                    throw new NetworkFormatException(path, $"features.{indices[i]} follows features.{indices[i - 1]}: not VGG's conv, relu(, pool) sequence");
                }
            }

            layout.Add((block, index, $"features.{indices[i]}"));
        }

        return layout;
    }

    private static VggInputConvention? Declared(string path, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || !metadata.TryGetValue(ConventionKey, out string? value))
        {
            return null;
        }

        return VggInputConventions.Parse(value) ?? throw new NetworkFormatException(path, $"metadata '{ConventionKey}' is '{value}'; expected torchvision, caffe or matconvnet");
    }

    private static float[] DeclaredMean(string path, IReadOnlyDictionary<string, string>? metadata)
    {
        string? text = null;
        metadata?.TryGetValue(MeanKey, out text);
        float[]? mean = text?.Split(',').Select(p => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? v : float.NaN).ToArray();
        return mean is { Length: 3 } && mean.All(float.IsFinite)
            ? mean
            : throw new NetworkFormatException(path, $"metadata says the input is MatConvNet's but '{MeanKey}' is {(text is null ? "missing" : $"'{text}'")}; expected three numbers R,G,B");
    }

    private static Tensor Take(string path, IReadOnlyDictionary<string, Tensor> stateDict, string key)
    {
        if (!stateDict.TryGetValue(key, out Tensor? t))
        {
            throw new NetworkFormatException(path, $"'{key}' is missing");
        }

        if (!t.is_floating_point())
        {
            throw new NetworkFormatException(path, $"'{key}' holds {t.dtype} values, not floating point");
        }

        using Tensor single = t.to_type(ScalarType.Float32);
        return single.contiguous();
    }

    [GeneratedRegex(@"^features\.(\d+)\.(weight|bias)$")]
    private static partial Regex FeaturesKey();

    [GeneratedRegex(@"^features\.\d+\.(running_mean|running_var)$")]
    private static partial Regex FeaturesNormKey();

    [GeneratedRegex(@"^conv(\d+)_(\d+)\.(weight|bias)$")]
    private static partial Regex NamedKey();
}
