using System.Text.Json;
using NeuralStyle.Cli;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Npy;
using NeuralStyle.Zoo;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Cli;

public class ModelsCommandTests(ModelsSqueezeNetReference reference, ITestOutputHelper log) : IClassFixture<ModelsSqueezeNetReference>
{
    [Fact]
    public void ListJsonHasEveryModelWithItsReferenceFigures()
    {
        CliRun run = CliRun.Invoke("models", "list", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument doc = JsonDocument.Parse(run.Output);
        JsonElement[] models = [.. doc.RootElement.GetProperty("models").EnumerateArray()];
        Assert.Equal(ModelZoo.Names, models.Select(m => m.GetProperty("name").GetString()));
        foreach (JsonElement m in models)
        {
            ModelInfo info = ModelZoo.Describe(m.GetProperty("name").GetString()!);
            Assert.Equal(info.Family, m.GetProperty("family").GetString());
            Assert.Equal(info.Year, m.GetProperty("year").GetInt32());
            Assert.Equal([info.Input.Channels, info.Input.Height, info.Input.Width], m.GetProperty("input").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(info.Classes, m.GetProperty("classes").GetInt32());
            Assert.Equal(info.Parameters, m.GetProperty("parameters").GetInt64());
            Assert.Equal(info.MultiplyAdds * 1e9, m.GetProperty("multiplyAdds").GetDouble(), 1e-3);
            Assert.Equal(info.Accuracy, m.GetProperty("accuracy").GetString());
            Assert.Equal(info.Reference, m.GetProperty("reference").GetString());
        }
    }

    [Fact]
    public void ListTableHasOneRowPerModel()
    {
        CliRun run = CliRun.Invoke("models", "list");
        Assert.True(run.ExitCode == 0, run.Error);
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("name", lines[0]);
        Assert.Equal(ModelZoo.Names.Count + 2, lines.Length);
        string vgg16 = lines.Single(l => l.StartsWith("vgg16 ", StringComparison.Ordinal));
        Assert.Equal(["vgg16", "VGG", "2014", "3x224x224", "1000", "138,357,544", "15.47", "G"], vgg16.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(8));
    }

    [Fact]
    public void SummaryJsonCountsSqueezeNetLikePyTorch()
    {
        CliRun run = CliRun.Invoke("models", "summary", "squeezenet1_1", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument doc = JsonDocument.Parse(run.Output);
        JsonElement root = doc.RootElement;
        Assert.Equal([1, 3, 224, 224], root.GetProperty("input").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([1, 1000], root.GetProperty("output").EnumerateArray().Select(e => e.GetInt32()));
        JsonElement totals = root.GetProperty("totals");
        Assert.Equal(1_235_496, totals.GetProperty("parameters").GetInt64());
        Assert.Equal(1_235_496, totals.GetProperty("trainableParameters").GetInt64());
        // As counted by PyTorch hooks (tests/fixture-scripts/torchvision_multiply_adds.py).
        Assert.Equal(SqueezeNet11MultiplyAdds, totals.GetProperty("multiplyAdds").GetInt64());
        JsonElement first = root.GetProperty("layers")[0];
        Assert.Equal("features.0", first.GetProperty("name").GetString());
        Assert.Equal("Conv2d", first.GetProperty("type").GetString());
        Assert.Equal(1_792, first.GetProperty("parameters").GetInt64());
        // 64 x 111 x 111 outputs, 3 x 3 x 3 each.
        Assert.Equal(64L * 111 * 111 * 27, first.GetProperty("multiplyAdds").GetInt64());
    }

    [Fact]
    public void SummaryAtAnotherInputSizeAndAsText()
    {
        CliRun run = CliRun.Invoke("models", "summary", "squeezenet1_1", "--input-size", "3x64x64");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("squeezenet1_1, input 1x3x64x64, output 1x1000", run.Output);
        string first = run.Output.Split('\n').Single(l => l.StartsWith("features.0 (Conv2d)", StringComparison.Ordinal));
        // (64 - 3) / 2 + 1 = 31: 64 x 31 x 31 outputs of 27 multiply-adds.
        Assert.Equal(["features.0", "(Conv2d)", "1x64x31x31", "1,792", "1,660,608"], first.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Total params: 1,235,496", run.Output);
        Assert.Contains("Reference (torchvision 0.14 (models.squeezenet1_1)): 1,235,496 parameters, 0.35 G multiply-adds at 3x224x224", run.Output);
    }

    [Fact]
    public void SummaryErrorsAreOneLine()
    {
        CliRun unknown = CliRun.Invoke("models", "summary", "vgg17");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("'vgg17' is not a zoo model", unknown.ErrorLines.Single());
        Assert.Contains("squeezenet1_1", unknown.Error);

        CliRun badSize = CliRun.Invoke("models", "summary", "squeezenet1_1", "--input-size", "224x224");
        Assert.Equal(2, badSize.ExitCode);
        Assert.Contains("CxHxW", badSize.ErrorLines.Single());

        CliRun channels = CliRun.Invoke("models", "summary", "squeezenet1_1", "--input-size", "1x224x224");
        Assert.Equal(2, channels.ExitCode);
        Assert.Contains("3 input channel", channels.ErrorLines.Single());

        CliRun tooSmall = CliRun.Invoke("models", "summary", "squeezenet1_1", "--input-size", "3x8x8");
        Assert.Equal(1, tooSmall.ExitCode);
        Assert.StartsWith("neural-style: error: squeezenet1_1 cannot run on a 3x8x8 input", tooSmall.ErrorLines.Single());

        CliRun none = CliRun.Invoke("models");
        Assert.Equal(2, none.ExitCode);
        Assert.Single(none.ErrorLines);
    }

    [Fact]
    public void ForwardWritesTorchvisionsOutput()
    {
        string output = reference.File("forward.npy");
        CliRun run = CliRun.Invoke("models", "forward", "squeezenet1_1", "--weights", reference.Run.StateDict, "--input", reference.Run.Input, "--output", output);
        Assert.True(run.ExitCode == 0, run.Error);
        using var scope = NewDisposeScope();
        Tensor ours = NpyFile.ReadTensor(output), theirs = NpyFile.ReadTensor(reference.Run.Output);
        Assert.Equal([2L, 1000], ours.shape);
        double diff = (ours - theirs).abs().max().item<float>(), scale = theirs.abs().max().item<float>();
        log.WriteLine($"squeezenet1_1 forward: max |ours - PyTorch| {diff:g3}, max |PyTorch| {scale:g4}");
        Assert.True(diff <= 1e-4 * scale, $"max difference {diff} for outputs up to {scale}");
        Assert.DoesNotContain(Directory.GetFiles(Path.GetDirectoryName(output)!), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void ForwardRefusesToOverwriteWithoutTheFlag()
    {
        string output = reference.File("existing.npy");
        File.WriteAllText(output, "precious");
        string[] args = ["models", "forward", "squeezenet1_1", "--weights", reference.Run.StateDict, "--input", reference.Run.Input, "--output", output];
        CliRun refused = CliRun.Invoke(args);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("already exists (use --overwrite", refused.ErrorLines.Single());
        Assert.Equal("precious", File.ReadAllText(output));

        CliRun replaced = CliRun.Invoke([.. args, "--overwrite"]);
        Assert.True(replaced.ExitCode == 0, replaced.Error);
        using Tensor written = NpyFile.ReadTensor(output);
        Assert.Equal([2L, 1000], written.shape);
    }

    [Fact]
    public void ForwardErrors()
    {
        string input = reference.Run.Input, weights = reference.Run.StateDict;
        CliRun missingWeights = CliRun.Invoke("models", "forward", "squeezenet1_1", "--weights", reference.File("nope.pth"), "--input", input, "--output", reference.File("a.npy"));
        Assert.Equal(2, missingWeights.ExitCode);
        Assert.Contains("nope.pth", missingWeights.ErrorLines.Single());

        CliRun noWeights = CliRun.Invoke("models", "forward", "squeezenet1_1", "--input", input, "--output", reference.File("b.npy"));
        Assert.Equal(2, noWeights.ExitCode);
        Assert.Contains("--weights", noWeights.ErrorLines.Single());

        // squeezenet1_0 has other shapes: the strict load names the mismatch.
        CliRun wrongModel = CliRun.Invoke("models", "forward", "squeezenet1_0", "--weights", weights, "--input", input, "--output", reference.File("c.npy"));
        Assert.Equal(1, wrongModel.ExitCode);
        Assert.Contains("features.0.weight", wrongModel.ErrorLines.Single());
        Assert.False(File.Exists(reference.File("c.npy")));

        string wrongChannels = reference.File("gray.npy");
        NpyFile.Write(wrongChannels, new float[64 * 64], [1, 1, 64, 64]);
        CliRun shape = CliRun.Invoke("models", "forward", "squeezenet1_1", "--weights", weights, "--input", wrongChannels, "--output", reference.File("d.npy"));
        Assert.Equal(1, shape.ExitCode);
        Assert.StartsWith("neural-style: error: squeezenet1_1 cannot run on an input of shape [1, 1, 64, 64]", shape.ErrorLines.Single());
    }

    [Fact]
    public void ForwardInTrainingModeWritesTheAuxiliaryHeads()
    {
        using var directory = new TempDirectory();
        ReferenceRun googlenet = TorchvisionReference.Run("googlenet", directory.Path, batch: 2, size: "96x96");
        string output = directory.File("train.npy"), again = directory.File("again.npy"), eval = directory.File("eval.npy");
        string[] args = ["models", "forward", "googlenet", "--weights", googlenet.StateDict, "--input", googlenet.Input];
        CliRun train = CliRun.Invoke([.. args, "--output", output, "--train", "--seed", "7"]);
        Assert.True(train.ExitCode == 0, train.Error);
        CliRun repeat = CliRun.Invoke([.. args, "--output", again, "--train", "--seed", "7"]);
        Assert.True(repeat.ExitCode == 0, repeat.Error);
        CliRun plain = CliRun.Invoke([.. args, "--output", eval]);
        Assert.True(plain.ExitCode == 0, plain.Error);

        using var scope = NewDisposeScope();
        foreach (string head in new[] { "aux1", "aux2" })
        {
            Assert.Equal([2L, 1000], NpyFile.ReadTensor(directory.File($"train.{head}.npy")).shape);
        }

        Assert.False(File.Exists(directory.File("eval.aux1.npy")));
        Tensor trained = NpyFile.ReadTensor(output);
        // Same seed, same dropout masks; evaluation mode (no dropout, running statistics) differs and matches torchvision.
        Assert.True(trained.allclose(NpyFile.ReadTensor(again), rtol: 0, atol: 0));
        Tensor evaluated = NpyFile.ReadTensor(eval), theirs = NpyFile.ReadTensor(googlenet.Output);
        Assert.False(trained.allclose(evaluated));
        Assert.True((evaluated - theirs).abs().max().item<float>() <= 1e-4 * theirs.abs().max().item<float>());

        // An auxiliary file in the way stops the run before anything is written.
        File.Delete(output);
        CliRun blocked = CliRun.Invoke([.. args, "--output", output, "--train"]);
        Assert.Equal(2, blocked.ExitCode);
        Assert.Matches(@"train\.aux[12]\.npy already exists", blocked.ErrorLines.Single());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AuxiliaryPathsSitNextToTheOutput()
    {
        Assert.Equal(Path.Combine("dir", "out.aux1.npy"), ModelsForwardCommand.AuxiliaryPath(Path.Combine("dir", "out.npy"), "aux1"));
        Assert.Equal("out.AuxLogits.npy", ModelsForwardCommand.AuxiliaryPath("out.npy", "AuxLogits"));
    }

    // Exact figure of tests/NeuralStyle.Tests/Fixtures/zoo/torchvision-multiply-adds.json for squeezenet1_1.
    private static long SqueezeNet11MultiplyAdds
    {
        get
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "zoo", "torchvision-multiply-adds.json")));
            return doc.RootElement.GetProperty("models").GetProperty("squeezenet1_1").GetProperty("multiplyAdds").GetInt64();
        }
    }
}
