using System.CommandLine;
using NeuralStyle.Runtime;
using NeuralStyle.Weights.Npy;
using NeuralStyle.Zoo;
using static TorchSharp.torch;

namespace NeuralStyle.Cli;

/// <summary><c>neural-style models forward NAME --weights FILE --input IN.npy --output OUT.npy [--train] [--overwrite]</c>.</summary>
/// <remarks>
/// Runs a zoo model on a NumPy tensor so that anyone can compare with Python. With --train the model is in training
/// mode (dropout, batch statistics, auxiliary heads); each auxiliary head's output goes next to OUT as
/// OUT-without-.npy + ".HEAD.npy" (GoogLeNet: out.aux1.npy, out.aux2.npy; Inception v3: out.AuxLogits.npy). Every file
/// is written to a temporary name and renamed, so a failed run leaves no partial output.
/// </remarks>
internal sealed class ModelsForwardCommand
{
    private readonly Argument<string> _name = new("NAME") { Description = "zoo model (see `neural-style models list`)" };
    private readonly Option<string> _weights = new("--weights") { Description = "the model's state dict: a torch.save file (zip or legacy) or a safetensors file, told apart by content (loaded strictly)", HelpName = "FILE", Required = true };
    private readonly Option<string> _input = new("--input") { Description = "input tensor, a float32 C-order .npy (N x C x H x W)", HelpName = "IN.npy", Required = true };
    private readonly Option<string> _output = new("--output") { Description = "where the output tensor goes (float32 .npy)", HelpName = "OUT.npy", Required = true };
    private readonly Option<bool> _train = new("--train") { Description = "training mode: dropout, batch-norm batch statistics, auxiliary heads (written as OUT.HEAD.npy)" };
    private readonly Option<bool> _overwrite = new("--overwrite") { Description = "replace output files that already exist" };
    private readonly Option<long?> _seed = new("--seed") { Description = "seed for dropout and drop-path in training mode", HelpName = "SEED" };

    public ModelsForwardCommand()
    {
        Command = new Command("forward", "Run a zoo model with trained weights on a .npy tensor and write its output as .npy (evaluation mode unless --train).");
        Command.Arguments.Add(_name);
        foreach (Option option in new Option[] { _weights, _input, _output, _train, _overwrite, _seed })
        {
            Command.Options.Add(option);
        }
    }

    public Command Command { get; }

    /// <summary>Where the output of auxiliary head <paramref name="head"/> goes for main output <paramref name="output"/>.</summary>
    public static string AuxiliaryPath(string output, string head) =>
        Path.Combine(Path.GetDirectoryName(output) ?? "", $"{Path.GetFileNameWithoutExtension(output)}.{head}.npy");

    public int Run(ParseResult parsed, TextWriter output)
    {
        string name = parsed.GetValue(_name)!, weights = parsed.GetValue(_weights)!, inputPath = parsed.GetValue(_input)!, outputPath = parsed.GetValue(_output)!;
        bool overwrite = parsed.GetValue(_overwrite), train = parsed.GetValue(_train);
        ModelInfo info = ModelsLoading.Describe(name);
        if (!File.Exists(inputPath))
        {
            throw new UsageException($"Input {inputPath} does not exist.");
        }

        ModelsLoading.EnsureNew(outputPath, overwrite);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new UsageException($"the directory of --output {outputPath} does not exist");
        }

        TorchRuntime.EnsureInitialized();
        using ZooModel model = ModelsLoading.Build(info.Name, weights);
        using var scope = NewDisposeScope();
        Tensor input = NpyFile.ReadTensor(inputPath);
        model.train(train);
        // Dropout (and FractalNet's drop-path) draw from this run's generator when --seed is given.
        using Generator? generator = parsed.GetValue(_seed) is long seed ? new Generator(unchecked((ulong)seed)) : null;
        using IDisposable? seeded = generator is null ? null : NeuralStyle.Zoo.Blocks.ZooRandom.Use(generator);
        ZooOutput result = ModelsLoading.Guard(info.Name, $"an input of shape [{string.Join(", ", input.shape)}]", () =>
        {
            using var noGrad = no_grad();
            return model.ForwardAll(input);
        });
        var files = new List<(string Path, Tensor Value)> { (outputPath, result.Main) };
        files.AddRange(result.Auxiliary.Select(a => (AuxiliaryPath(outputPath, a.Key), a.Value)));
        foreach ((string path, _) in files.Skip(1))
        {
            ModelsLoading.EnsureNew(path, overwrite);
        }

        foreach ((string path, Tensor value) in files)
        {
            NpyFile.WriteTensor(path, value);
            output.WriteLine($"{path}: [{string.Join(", ", value.shape)}]");
        }

        return 0;
    }
}
