using NeuralStyle.Transfer;
using NeuralStyle.Weights.Onnx;
using static TorchSharp.torch;

namespace NeuralStyle.Backbones;

/// <summary>Any single-input ONNX model as a style-transfer backbone: every node output is a tappable layer.</summary>
/// <remarks>
/// Raw ONNX value names are exporter-made (CNTK: "ReLU269_Output_0"), so a backbone can add readable aliases
/// ("layer1.0"); both kinds of name work everywhere a layer name is accepted.
/// </remarks>
public sealed class OnnxFeatureNetwork : IFeatureNetwork, IDisposable
{
    private readonly OnnxGraph _graph;
    private readonly string _input;
    private readonly IReadOnlyDictionary<string, string> _aliases;

    /// <summary>Wraps a compiled graph.</summary>
    public OnnxFeatureNetwork(OnnxGraph graph, PixelConvention pixels, BackboneDefaults defaults, IReadOnlyDictionary<string, string>? aliases = null, string? description = null)
    {
        if (graph.Inputs.Count != 1)
        {
            throw new ArgumentException($"{graph.Model.SourceName} has {graph.Inputs.Count} inputs; a backbone needs exactly one (the image)");
        }

        _graph = graph;
        _input = graph.Inputs[0].Name;
        _aliases = aliases ?? new Dictionary<string, string>();
        Pixels = pixels;
        Defaults = defaults;
        Description = description ?? $"ONNX model {Path.GetFileName(graph.Model.SourceName)} ({graph.Model.Producer}, opset {graph.Model.OpsetVersion})";
        foreach (string layer in defaults.ContentLayers.Concat(defaults.StyleLayers))
        {
            Resolve(layer);
        }
    }

    /// <summary>What the network is, for the console.</summary>
    public string Description { get; }

    /// <inheritdoc />
    /// <remarks>The decoded arrays plus the tensors made from them: about twice the file.</remarks>
    public long WeightBytes => 2 * _graph.Model.SerializedBytes;

    /// <inheritdoc />
    /// <remarks>Half the float32 tensors, whose size is about the file's (<see cref="WeightBytes"/> counts the decoded arrays too).</remarks>
    public long BFloat16WeightBytes => _graph.Model.SerializedBytes / 2;

    /// <summary>The compiled graph.</summary>
    public OnnxGraph Graph => _graph;

    /// <summary>Readable names and the ONNX values they stand for.</summary>
    public IReadOnlyDictionary<string, string> Aliases => _aliases;

    /// <inheritdoc />
    public IReadOnlyList<string> LayerNames => _graph.ValueNames;

    /// <inheritdoc />
    public PixelConvention Pixels { get; }

    /// <inheritdoc />
    public BackboneDefaults Defaults { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> Extract(Tensor input, IReadOnlyCollection<string> layers) => Extract(input, layers, ComputePrecision.Float32);

    /// <inheritdoc />
    /// <remarks>Any ONNX graph can: in bfloat16 every node reads its float32 operands as bfloat16 (see <see cref="OnnxGraph"/>).</remarks>
    public bool ComputesInBFloat16 => true;

    /// <inheritdoc />
    /// <remarks>
    /// In bfloat16 the image is cast once, every node runs in bfloat16 on the graph's bfloat16 copies of its weights
    /// (made on first use), and each tapped value is cast back to float32: Gram matrices, losses and the optimiser
    /// stay float32, as on VGG's path.
    /// </remarks>
    public IReadOnlyDictionary<string, Tensor> Extract(Tensor input, IReadOnlyCollection<string> layers, ComputePrecision precision)
    {
        if (precision == ComputePrecision.Auto)
        {
            throw new ArgumentException("resolve the precision first (auto is a request, not an arithmetic)", nameof(precision));
        }

        var byValue = layers.ToDictionary(l => l, Resolve, StringComparer.Ordinal);
        string[] taps = [.. byValue.Values.Distinct()];
        if (precision == ComputePrecision.Float32)
        {
            IReadOnlyDictionary<string, Tensor> values = _graph.Run(new Dictionary<string, Tensor> { [_input] = input }, taps);
            return byValue.ToDictionary(kv => kv.Key, kv => values[kv.Value], StringComparer.Ordinal);
        }

        using Tensor half = input.to(ScalarType.BFloat16);
        IReadOnlyDictionary<string, Tensor> computed = _graph.Run(new Dictionary<string, Tensor> { [_input] = half }, taps, bfloat16: true);
        var features = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string tap, Tensor value) in computed)
        {
            features[tap] = value.to(ScalarType.Float32);
            value.Dispose();
        }

        return byValue.ToDictionary(kv => kv.Key, kv => features[kv.Value], StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public string CanonicalName(string layer) => Resolve(layer);

    /// <summary>The ONNX value a layer name (alias or raw) stands for; throws naming the file when there is none.</summary>
    public string Resolve(string layer)
    {
        if (_aliases.TryGetValue(layer, out string? value))
        {
            return value;
        }

        if (_graph.ValueNames.Contains(layer))
        {
            return layer;
        }

        throw new ArgumentException($"{_graph.Model.SourceName} has no layer '{layer}' (see `neural-style layers --network {_graph.Model.SourceName}`)");
    }

    /// <inheritdoc />
    public void Dispose() => _graph.Dispose();
}
