using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NeuralStyle.Imaging;
using NeuralStyle.Tensors;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.ImageNet;
using static TorchSharp.torch;

namespace NeuralStyle.Cli;

/// <summary><c>neural-style classify --model NAME --weights FILE IMAGE... [--top 5] [--json]</c>.</summary>
/// <remarks>
/// Each image gets the model's standard preprocessing (<see cref="ClassificationInput"/>: torchvision's resize of the
/// shorter side, centre crop, scaling and normalisation, BGR or luma where the model wants it); the outputs are taken
/// as logits, turned into probabilities with a softmax, and the top classes are named with the 1000 ImageNet labels
/// shipped with the tool (class indices for models with another number of classes).
/// </remarks>
internal sealed class ClassifyCommand
{
    private readonly Option<string> _model = new("--model") { Description = "zoo model (see `neural-style models list`)", HelpName = "NAME", Required = true };
    private readonly Option<string> _weights = new("--weights") { Description = "PyTorch state dict saved with torch.save (loaded strictly)", HelpName = "FILE", Required = true };
    private readonly Option<int> _top = new("--top") { Description = "how many classes to show per image", HelpName = "K", DefaultValueFactory = _ => 5 };
    private readonly Option<bool> _json = new("--json") { Description = "machine-readable output" };
    private readonly Argument<string[]> _images = new("IMAGE") { Description = "images to classify", Arity = ArgumentArity.OneOrMore };

    public ClassifyCommand()
    {
        Command = new Command("classify", "Classify images with a zoo model and its weights: standard ImageNet preprocessing, top-k classes with the ImageNet labels.");
        Command.Options.Add(_model);
        Command.Options.Add(_weights);
        Command.Options.Add(_top);
        Command.Options.Add(_json);
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

        string[] images = parsed.GetValue(_images) ?? [];
        if (images.FirstOrDefault(i => !File.Exists(i)) is string missing)
        {
            throw new UsageException($"Image {missing} does not exist.");
        }

        TorchThreads.Configure();
        using ZooModel model = ModelsLoading.Build(info.Name, parsed.GetValue(_weights)!);
        model.eval();
        var results = new List<ImageResult>();
        foreach (string image in images)
        {
            results.Add(Classify(model, info, image, top));
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

    private static ImageResult Classify(ZooModel model, ModelInfo info, string path, int top)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = ClassificationInput.Prepare(ImageReader.Read(path), info.Preprocessing);
        Tensor logits = ModelsLoading.Guard(info.Name, $"the {info.Preprocessing.Crop}x{info.Preprocessing.Crop} crop of {path}", () => model.call(input));
        if (logits.dim() != 2)
        {
            throw new InvalidDataException($"{info.Name} is not an image classifier: its output has shape [{string.Join(", ", logits.shape)}]");
        }

        Tensor probabilities = nn.functional.softmax(logits.to(ScalarType.Float64), 1)[0];
        (Tensor values, Tensor indices) = probabilities.topk(top);
        double[] p = values.data<double>().ToArray();
        long[] k = indices.data<long>().ToArray();
        return new ImageResult(path, [.. Enumerable.Range(0, top).Select(i => new Prediction((int)k[i], ImageNetLabels.For((int)k[i], info.Classes), p[i]))]);
    }

    private static readonly JsonSerializerOptions ClassifyJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed record ImageResult(string Image, IReadOnlyList<Prediction> Top);

    private sealed record Prediction(int Index, string Label, double Probability);
}
