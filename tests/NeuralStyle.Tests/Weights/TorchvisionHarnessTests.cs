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
    public void A_reference_run_gives_torchvisions_state_dict_input_and_output()
    {
        using var temp = new TempDirectory();

        ReferenceRun run = TorchvisionReference.Run("squeezenet1_1", temp.Path, batch: 2, size: "64x48");

        IReadOnlyDictionary<string, Tensor> state = PyTorchCheckpoint.Read(run.StateDict);
        using var keys = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "zoo", "torchvision-keys.json")));
        JsonElement reference = keys.RootElement.GetProperty("models").GetProperty("squeezenet1_1");
        JsonElement[] expected = [.. reference.GetProperty("keys").EnumerateArray()];
        Assert.Equal(expected.Select(k => k[0].GetString()), state.Keys);
        Assert.Equal(expected.Select(k => string.Join("x", k[1].EnumerateArray())), state.Values.Select(t => string.Join("x", t.shape)));
        Assert.Equal(expected.Select(k => k[2].GetString()), state.Values.Select(t => PyTorchReadTests.DtypeName(t.dtype)));
        Assert.Equal(reference.GetProperty("parameters").GetInt64(), state.Values.Sum(t => t.numel()));
        Assert.Equal(new long[] { 2, 3, 64, 48 }, NpyFile.Read(run.Input).Shape);
        Assert.Equal(new long[] { 2, 1000 }, NpyFile.Read(run.Output).Shape);
        output.WriteLine($"squeezenet1_1: {state.Count} tensors, {state.Values.Sum(t => t.numel())} parameters, {new FileInfo(run.StateDict).Length} bytes");
        foreach (Tensor t in state.Values)
        {
            t.Dispose();
        }
    }

    [Fact]
    public void An_unknown_model_fails_with_the_scripts_message()
    {
        using var temp = new TempDirectory();

        var e = Assert.Throws<InvalidOperationException>(() => TorchvisionReference.Run("no_such_net", temp.Path));

        Assert.Contains("invalid choice: 'no_such_net'", e.Message);
    }
}
