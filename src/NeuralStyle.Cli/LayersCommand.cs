using System.CommandLine;
using System.Text.Json;
using NeuralStyle.Runtime;
using NeuralStyle.Backbones;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.Cache;
using static TorchSharp.torch;

namespace NeuralStyle.Cli;

/// <summary><c>neural-style layers</c>: a network's layer names and output shapes for an input size.</summary>
internal sealed class LayersCommand
{
    private readonly Option<string?> _network = new("--network") { Description = "network file (.mat or .onnx) or zoo model name; default as for style transfer", HelpName = "NETWORK" };
    private readonly Option<string?> _weights = new("--weights") { Description = "a zoo model's state dict, torch.save or safetensors (optional here: names and shapes do not depend on the weights)", HelpName = "FILE" };
    private readonly Option<int> _width = new("--width") { Description = "input width (a zoo model: its canonical input unless given)", DefaultValueFactory = _ => 224, HelpName = "WIDTH" };
    private readonly Option<int> _height = new("--height") { Description = "input height (a zoo model: its canonical input unless given)", DefaultValueFactory = _ => 224, HelpName = "HEIGHT" };
    private readonly Option<bool> _json = new("--json") { Description = "machine-readable output" };

    public LayersCommand()
    {
        Command = new Command("layers", "List a network's layer names (usable in --content-layers / --style-layers) and their output shapes.");
        Command.Options.Add(_network);
        Command.Options.Add(_weights);
        Command.Options.Add(_width);
        Command.Options.Add(_height);
        Command.Options.Add(_json);
    }

    public Command Command { get; }

    public int Run(ParseResult parsed, TextWriter output, WeightsEnvironment? environment = null)
    {
        int width = parsed.GetValue(_width), height = parsed.GetValue(_height);
        if (width <= 0 || height <= 0)
        {
            throw new UsageException($"--width and --height must be positive (got {width}x{height})");
        }

        TorchRuntime.EnsureInitialized();
        BackboneSelection resolution = BackboneSelection.Resolve(parsed.GetValue(_network), parsed.GetValue(_weights), requireWeights: false, environment);
        // Every layer of a VGG file is wanted here, not just those the default losses read.
        var settings = new StyleTransferSettings { ContentLayers = [new LayerWeight("relu5_4", 1)], StyleLayers = [new LayerWeight("relu5_4", 1)] };
        using var handle = new BackboneHandle(resolution.ZooModel is null ? Open(resolution.Path, settings) : resolution.Open(PoolingMode.Max, settings));
        IFeatureNetwork network = handle.Network;
        if (network is ZooFeatureNetwork zoo)
        {
            // A zoo model's head may only fit its canonical input (LeNet-5's C5 must come out 1x1).
            width = parsed.GetResult(_width) is { Implicit: false } ? width : zoo.Info.Input.Width;
            height = parsed.GetResult(_height) is { Implicit: false } ? height : zoo.Info.Input.Height;
        }

        var aliases = ((network as OnnxFeatureNetwork)?.Aliases ?? (network as ZooFeatureNetwork)?.Aliases)?.ToDictionary(a => a.Value, a => a.Key, StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, long[]> shapes = ModelsLoading.Guard(resolution.ZooModel ?? Path.GetFileName(resolution.Path), $"a {width}x{height} input", () =>
        {
            // Every layer's output is kept until the listing is done: refuse sizes that would not fit before running them.
            long estimate = MemoryEstimator.EstimateForwardBytes(network, network.LayerNames, width, height, network.WeightBytes);
            CommandMemory.EnsureFits(estimate, $"listing the layers at {width}x{height}", "use a smaller --width and --height");
            return Shapes(network, width, height);
        });
        var rows = network.LayerNames.Where(shapes.ContainsKey)
            .Select(name => new LayerRow(name, aliases.GetValueOrDefault(name), shapes[name]))
            .ToList();

        if (parsed.GetValue(_json))
        {
            output.WriteLine(JsonSerializer.Serialize(new { network = resolution.Path, input = new[] { 1, 3, height, width }, layers = rows }, JsonOptions));
            return 0;
        }

        output.WriteLine($"{network.Description} from {resolution.Path}, input 1x3x{height}x{width}");
        int nameWidth = rows.Max(r => r.Name.Length);
        foreach (LayerRow row in rows)
        {
            output.WriteLine($"{row.Name.PadRight(nameWidth)}  {string.Join('x', row.Shape),-16}  {row.Alias}");
        }

        return 0;
    }

    private static IFeatureNetwork Open(string path, StyleTransferSettings settings)
    {
        NetworkFormat format = NetworkFiles.Detect(path);
        if (format is not (NetworkFormat.MatConvNet or NetworkFormat.Onnx))
        {
            // A VGG from a state dict or a .caffemodel: every layer it has (VGG-16 has no relu5_4).
            return Backbones.VggSources.VggSourceNetwork.Build(Backbones.VggSources.VggWeightFile.Read(path, format), PoolingMode.Max, null);
        }

        try
        {
            return NetworkFiles.Open(path, PoolingMode.Max, settings);
        }
        catch (IOException) when (NetworkFiles.Detect(path) == NetworkFormat.MatConvNet)
        {
            // A VGG-16 or shorter file has no relu5_4: take every layer up to the classifier instead.
            return Backbones.MatConvNetVgg.Load(path, PoolingMode.Max, (IReadOnlyCollection<string>?)null);
        }
        catch (ArgumentException) when (NetworkFiles.Detect(path) == NetworkFormat.Onnx)
        {
            // An ONNX model of its own names its values as it likes: list them all, up to its last.
            string last;
            using (Weights.Onnx.OnnxGraph graph = Weights.Onnx.OnnxGraph.Load(path))
            {
                last = graph.ValueNames[^1];
            }

            return NetworkFiles.Open(path, PoolingMode.Max, new StyleTransferSettings { ContentLayers = [new LayerWeight(last, 1)], StyleLayers = [new LayerWeight(last, 1)] });
        }
    }

    private static IReadOnlyDictionary<string, long[]> Shapes(IFeatureNetwork network, int width, int height)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using Tensor input = zeros(1, 3, height, width);
        return network.Extract(input, network.LayerNames).ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed record LayerRow(string Name, string? Alias, long[] Shape);
}
