using NeuralStyle.Tests.Support;
using NeuralStyle.Tests.Weights;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>Every --weights FILE takes a safetensors file, told by content: the same weights give the same bytes as the torch.save file.</summary>
public sealed class SafeTensorsWeightsTests(ModelsSqueezeNetReference reference) : IClassFixture<ModelsSqueezeNetReference>
{
    private string SafeTensorsCopy(TempDirectory temp, string name)
    {
        string path = temp.File(name);
        StateDictFileTests.WriteSafeTensorsCopy(reference.Run.StateDict, path);
        return path;
    }

    [Fact]
    public void Models_forward_and_classify_give_the_same_output_from_either_format_under_any_name()
    {
        using var temp = new TempDirectory();
        string safeTensors = SafeTensorsCopy(temp, "squeezenet.safetensors");
        string misnamed = temp.File("squeezenet-safetensors.pth");
        File.Copy(safeTensors, misnamed);
        string torchMisnamed = temp.File("squeezenet-torch.safetensors");
        File.Copy(reference.Run.StateDict, torchMisnamed);

        byte[] Forward(string weights, string output)
        {
            CliRun run = CliRun.Invoke("models", "forward", "squeezenet1_1", "--weights", weights, "--input", reference.Run.Input, "--output", temp.File(output));
            Assert.True(run.ExitCode == 0, run.Error);
            return File.ReadAllBytes(temp.File(output));
        }

        byte[] expected = Forward(reference.Run.StateDict, "pth.npy");
        Assert.Equal(expected, Forward(safeTensors, "safetensors.npy"));
        Assert.Equal(expected, Forward(misnamed, "misnamed.npy"));
        Assert.Equal(expected, Forward(torchMisnamed, "torch-misnamed.npy"));

        string Classify(string weights)
        {
            CliRun run = CliRun.Invoke("classify", "--model", "squeezenet1_1", "--weights", weights, Fixtures.Example("chelsea.png"), "--json");
            Assert.True(run.ExitCode == 0, run.Error);
            return run.Output;
        }

        string classified = Classify(reference.Run.StateDict);
        Assert.Contains("squeezenet1_1", classified);
        Assert.Equal(classified, Classify(safeTensors));
    }

    [Fact]
    public void Style_transfer_with_a_safetensors_backbone_writes_the_same_image()
    {
        using var temp = new TempDirectory();
        string safeTensors = SafeTensorsCopy(temp, "model.safetensors");

        byte[] Stylise(string weights, string output)
        {
            CliRun run = CliRun.Invoke(["--network", "squeezenet1_1", "--weights", weights,
                "--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--width", "48",
                "--iterations", "4", "--print-iterations", "4", "--seed", "7", "--output", temp.File(output), "--threads", "1"]);
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.StartsWith("Network: squeezenet1_1", run.ErrorLines[0]);
            return File.ReadAllBytes(temp.File(output));
        }

        byte[] expected = Stylise(reference.Run.StateDict, "pth.png");
        Assert.Equal(expected, Stylise(safeTensors, "safetensors.png"));

        CliRun layers = CliRun.Invoke("layers", "--network", "squeezenet1_1", "--weights", safeTensors, "--width", "64", "--height", "64");
        Assert.True(layers.ExitCode == 0, layers.Error);
        Assert.Contains("weights model.safetensors", layers.Output.Split('\n')[0]);
    }

    [Fact]
    public void A_file_in_no_format_is_one_error_naming_it()
    {
        using var temp = new TempDirectory();
        string garbage = temp.File("garbage.safetensors");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 4096).Select(i => (byte)((i * 73) + 11))]);
        string[] images = ["--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--output", temp.File("o.png")];

        foreach (string[] args in new string[][]
        {
            ["models", "forward", "squeezenet1_1", "--weights", garbage, "--input", reference.Run.Input, "--output", temp.File("o.npy")],
            ["classify", "--model", "squeezenet1_1", "--weights", garbage, Fixtures.Example("chelsea.png")],
            ["--network", "squeezenet1_1", "--weights", garbage, .. images],
        })
        {
            CliRun run = CliRun.Invoke(args);
            Assert.Equal(1, run.ExitCode);
            string line = Assert.Single(run.ErrorLines);
            Assert.Contains($"{garbage}: not a weights file this program reads", line);
            Assert.Contains("torch.save (zip or legacy format) or a safetensors file", line);
        }

        Assert.False(File.Exists(temp.File("o.npy")));
        Assert.False(File.Exists(temp.File("o.png")));
    }

    [Fact]
    public void A_safetensors_file_missing_a_key_is_refused_with_the_key()
    {
        using var temp = new TempDirectory();
        string partial = temp.File("partial.safetensors");
        IReadOnlyDictionary<string, TorchSharp.torch.Tensor> saved = NeuralStyle.Weights.PyTorch.PyTorchCheckpoint.Read(reference.Run.StateDict);
        try
        {
            NeuralStyle.Weights.SafeTensors.SafeTensorsWriter.Write(partial, saved.Where(p => p.Key != "classifier.1.bias").ToDictionary(p => p.Key, p => p.Value));
        }
        finally
        {
            foreach (TorchSharp.torch.Tensor t in saved.Values)
            {
                t.Dispose();
            }
        }

        CliRun forward = CliRun.Invoke("models", "forward", "squeezenet1_1", "--weights", partial, "--input", reference.Run.Input, "--output", temp.File("o.npy"));
        Assert.Equal(1, forward.ExitCode);
        string line = Assert.Single(forward.ErrorLines);
        Assert.Contains($"{partial}: the state dict does not match", line);
        Assert.Contains("1 missing key: classifier.1.bias", line);

        CliRun style = CliRun.Invoke(["--network", "squeezenet1_1", "--weights", partial, "--content", Fixtures.Example("chelsea.png"),
            "--styles", Fixtures.Example("brick.png"), "--output", temp.File("o.png")]);
        Assert.Equal(1, style.ExitCode);
        Assert.Contains("1 missing key: classifier.1.bias", style.ErrorLines.Single());
    }
}
