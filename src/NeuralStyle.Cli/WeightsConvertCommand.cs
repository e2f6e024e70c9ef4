using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NeuralStyle.Backbones;
using NeuralStyle.Runtime;

namespace NeuralStyle.Cli;

/// <summary><c>neural-style weights convert IN OUT.safetensors [--overwrite] [--json]</c>: any weight file the program reads, as safetensors.</summary>
/// <remarks>
/// The library does the work (<see cref="WeightsConversion"/>): state dicts keep their keys and dtypes, a VGG's input
/// convention goes into the metadata. The output is written through a temporary file, so a failure leaves nothing
/// under its name.
/// </remarks>
internal sealed class WeightsConvertCommand
{
    private readonly Argument<string> _input = new("IN") { Description = "a weight file: torch.save (zip or legacy), safetensors, .caffemodel, MatConvNet .mat or a VGG ONNX model" };
    private readonly Argument<string> _output = new("OUT") { Description = "the safetensors file to write" };
    private readonly Option<bool> _overwrite = new("--overwrite") { Description = "replace OUT if it exists" };
    private readonly Option<bool> _json = new("--json") { Description = "print the result as JSON" };

    public WeightsConvertCommand()
    {
        Command = new Command("convert", "Rewrite a weight file as safetensors (loads fastest, cannot run code); a VGG keeps its input convention in the metadata.");
        Command.Arguments.Add(_input);
        Command.Arguments.Add(_output);
        Command.Options.Add(_overwrite);
        Command.Options.Add(_json);
    }

    public Command Command { get; }

    public int Run(ParseResult parsed, TextWriter output)
    {
        string input = parsed.GetValue(_input)!, target = parsed.GetValue(_output)!;
        if (!File.Exists(input))
        {
            throw new UsageException($"Weights {input} do not exist.");
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(target));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new UsageException($"the directory of {target} does not exist");
        }

        if (File.Exists(target) && !parsed.GetValue(_overwrite))
        {
            throw new UsageException($"{target} exists; add --overwrite to replace it");
        }

        TorchRuntime.EnsureInitialized();
        WeightsConversionResult result = WeightsConversion.ToSafeTensors(input, target, overwrite: true);
        if (parsed.GetValue(_json))
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                input,
                output = target,
                input_format = result.InputFormat.ToString(),
                tensors = result.TensorCount,
                bytes = result.Bytes,
                network = result.Network,
            }));
            return 0;
        }

        string network = result.Network is null ? "" : $"; {result.Network}";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Converted {input} to {target}: {result.TensorCount} tensors, {result.Bytes / 1048576.0:F1} MiB; from {result.InputFormat}{network}"));
        return 0;
    }
}
