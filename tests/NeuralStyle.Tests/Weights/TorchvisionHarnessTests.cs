using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Npy;
using NeuralStyle.Weights.PyTorch;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>The torchvision reference harness on a real torchvision model (SqueezeNet 1.1: small and quick).</summary>
public sealed class TorchvisionHarnessTests(ITestOutputHelper output)
{
    [Fact]
    public void A_reference_run_gives_torchvisions_weights_and_a_torchsharp_squeezenet_agrees()
    {
        using var temp = new TempDirectory();

        ReferenceRun run = TorchvisionReference.Run("squeezenet1_1", temp.Path, batch: 2, size: "97x81");

        IReadOnlyDictionary<string, Tensor> state = PyTorchCheckpoint.Read(run.StateDict);
        using var keys = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "zoo", "torchvision-keys.json")));
        JsonElement reference = keys.RootElement.GetProperty("models").GetProperty("squeezenet1_1");
        JsonElement[] expected = [.. reference.GetProperty("keys").EnumerateArray()];
        Assert.Equal(expected.Select(k => k[0].GetString()), state.Keys);
        Assert.Equal(expected.Select(k => string.Join("x", k[1].EnumerateArray())), state.Values.Select(t => string.Join("x", t.shape)));
        Assert.Equal(expected.Select(k => k[2].GetString()), state.Values.Select(t => PyTorchReadTests.DtypeName(t.dtype)));
        Assert.Equal(reference.GetProperty("parameters").GetInt64(), state.Values.Sum(t => t.numel()));
        Assert.Equal(new long[] { 2, 3, 97, 81 }, NpyFile.Read(run.Input).Shape);
        Assert.Equal(new long[] { 2, 1000 }, NpyFile.Read(run.Output).Shape);
        output.WriteLine($"squeezenet1_1: {state.Count} tensors, {state.Values.Sum(t => t.numel())} parameters, {new FileInfo(run.StateDict).Length} bytes");
        foreach (Tensor t in state.Values)
        {
            t.Dispose();
        }

        using var model = new TestSqueezeNet11();
        AgreementResult result = TorchvisionAgreement.Compare("squeezenet1_1", model, run);

        output.WriteLine(result.ToString());
        Assert.Equal(new long[] { 2, 1000 }, result.Shape);
        result.AssertAgrees(1e-4);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void A_missing_interpreter_or_torchvision_fails_saying_what_to_install()
    {
        using var temp = new TempDirectory();
        var missing = Assert.Throws<InvalidOperationException>(() => TorchvisionReference.Run("resnet18", temp.Path, 1, null, temp.File("no-python")));
        Assert.Contains("install Debian's python3-torchvision", missing.Message);

        // An interpreter without torch: what python3 prints when the import fails.
        string fake = temp.File("python-without-torch");
        File.WriteAllText(fake, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'torch'\" >&2\nexit 1\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var lacking = Assert.Throws<InvalidOperationException>(() => TorchvisionReference.Run("resnet18", temp.Path, 1, null, fake));
        Assert.Contains("lacks torch, torchvision or numpy; install Debian's python3-torchvision", lacking.Message);
    }

    [Fact]
    public void An_unknown_model_fails_with_the_scripts_message()
    {
        using var temp = new TempDirectory();

        var e = Assert.Throws<InvalidOperationException>(() => TorchvisionReference.Run("no_such_net", temp.Path));

        Assert.Contains("invalid choice: 'no_such_net'", e.Message);
    }
}
