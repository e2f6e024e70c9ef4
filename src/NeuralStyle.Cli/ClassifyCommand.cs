using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NeuralStyle.Runtime;
using NeuralStyle.Imaging;
using NeuralStyle.Transfer;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.ImageNet;
using static TorchSharp.torch;

namespace NeuralStyle.Cli;

/// <summary><c>neural-style classify --model NAME --weights FILE IMAGE... [--top 5] [--batch-size 8] [--json]</c>.</summary>
/// <remarks>
/// Each image gets the model's standard preprocessing (<see cref="ClassificationInput"/>: torchvision's resize of the
/// shorter side, centre crop, scaling and normalisation, BGR or luma where the model wants it); the outputs are taken
/// as logits, turned into probabilities with a softmax, and the top classes are named with the 1000 ImageNet labels
/// shipped with the tool (class indices for models with another number of classes).
/// </remarks>
internal sealed class ClassifyCommand
{
    private readonly Option<string> _model = new("--model") { Description = "zoo model (see `neural-style models list`)", HelpName = "NAME", Required = true };
    private readonly Option<string> _weights = new("--weights") { Description = "the model's state dict: a torch.save file (zip or legacy) or a safetensors file, told apart by content (loaded strictly)", HelpName = "FILE", Required = true };
    private readonly Option<int> _top = new("--top") { Description = "how many classes to show per image", HelpName = "K", DefaultValueFactory = _ => 5 };
    private readonly Option<bool> _json = new("--json") { Description = "machine-readable output" };
    private readonly Option<int> _batchSize = new("--batch-size") { Description = "images per forward pass", HelpName = "N", DefaultValueFactory = _ => 8 };
    private readonly Option<long?> _maxPixels = new("--max-pixels") { Description = string.Create(CultureInfo.InvariantCulture, $"refuse images with more pixels than this, before decoding them: a guard against decompression bombs (default: {ImageLimits.DefaultMaxPixels})"), HelpName = "N" };
    private readonly Argument<string[]> _images = new("IMAGE") { Description = "images to classify", Arity = ArgumentArity.OneOrMore };

    public ClassifyCommand()
    {
        Command = new Command("classify", "Classify images with a zoo model and its weights: standard ImageNet preprocessing, top-k classes with the ImageNet labels.");
        Command.Options.Add(_model);
        Command.Options.Add(_weights);
        Command.Options.Add(_top);
        Command.Options.Add(_json);
        Command.Options.Add(_batchSize);
        Command.Options.Add(_maxPixels);
        Command.Arguments.Add(_images);
    }

    public Command Command { get; }

    public int Run(ParseResult parsed, TextWriter output)
    {
        ModelInfo info = ModelsLoading.Describe(parsed.GetValue(_model)!);
        int top = parsed.GetValue(_top);
        if (top < 1 || top > info.Classes)
        {
            throw new UsageException($"--top must be between 1 and {info.Classes}, the classes of {info.Name} (got {top})");
        }

        int batchSize = parsed.GetValue(_batchSize);
        if (batchSize < 1)
        {
            throw new UsageException($"--batch-size must be positive (got {batchSize})");
        }

        string[] images = parsed.GetValue(_images) ?? [];
        if (images.FirstOrDefault(i => !File.Exists(i)) is string missing)
        {
            throw new UsageException($"Image {missing} does not exist.");
        }

        long maxPixels = parsed.GetValue(_maxPixels) ?? ImageLimits.DefaultMaxPixels;
        if (maxPixels <= 0)
        {
            throw new UsageException($"--max-pixels must be a positive integer (got {maxPixels})");
        }

        // Each image is decoded in full before it is cropped, so its decode must fit in what is free.
        long? free = MemoryEstimator.AvailableBytes();
        var limits = new ImageLimits { MaxPixels = maxPixels, MaxDecodeBytes = free, DecodeBudgetName = "available" };
        TorchRuntime.EnsureInitialized();
        using ZooModel model = ModelsLoading.Build(info.Name, parsed.GetValue(_weights)!);
        model.eval();
        var results = new List<ImageResult>();
        foreach (string[] batch in images.Chunk(batchSize))
        {
            results.AddRange(Classify(model, info, batch, top, limits));
        }

        if (parsed.GetValue(_json))
        {
            output.WriteLine(JsonSerializer.Serialize(new { model = info.Name, images = results }, ClassifyJson));
            return 0;
        }

        foreach (ImageResult result in results)
        {
            output.WriteLine($"{result.Image}:");
            foreach (Prediction p in result.Top)
            {
                output.WriteLine($"  {p.Probability.ToString("0.0000", CultureInfo.InvariantCulture)}  {p.Index,4}  {p.Label}");
            }
        }

        return 0;
    }

    // Every image is cropped to the model's input size, so a batch is one stacked tensor and one forward pass.
    private static IEnumerable<ImageResult> Classify(ZooModel model, ModelInfo info, string[] paths, int top, ImageLimits limits)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = cat([.. paths.Select(path => ClassificationInput.Prepare(ImageReader.Read(path, limits), info.Preprocessing))], 0);
        string what = paths.Length == 1 ? $"the {info.Preprocessing.Crop}x{info.Preprocessing.Crop} crop of {paths[0]}" : $"a batch of {paths.Length} {info.Preprocessing.Crop}x{info.Preprocessing.Crop} crops ({paths[0]} ...)";
        Tensor logits = ModelsLoading.Guard(info.Name, what, () => model.call(input));
        if (logits.dim() != 2 || logits.shape[0] != paths.Length)
        {
            throw new InvalidDataException($"{info.Name} is not an image classifier: its output has shape [{string.Join(", ", logits.shape)}]");
        }

        Tensor probabilities = nn.functional.softmax(logits.to(ScalarType.Float64), 1);
        (Tensor values, Tensor indices) = probabilities.topk(top, dim: 1);
        double[] p = values.data<double>().ToArray();
        long[] k = indices.data<long>().ToArray();
        return [.. paths.Select((path, row) => new ImageResult(path, [.. Enumerable.Range(row * top, top).Select(i => new Prediction((int)k[i], ImageNetLabels.For((int)k[i], info.Classes), p[i]))]))];
    }

    private static readonly JsonSerializerOptions ClassifyJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed record ImageResult(string Image, IReadOnlyList<Prediction> Top);

    private sealed record Prediction(int Index, string Label, double Probability);
}
