using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Npy;
using NeuralStyle.Weights.PyTorch;
using NeuralStyle.Zoo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary>The criteria of issue 5 shared by the LeNet, AlexNet, VGG and SqueezeNet tests.</summary>
internal static class ClassicZooChecks
{
    private static readonly Lazy<JsonElement> TorchvisionKeys = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "zoo", "torchvision-keys.json"))).RootElement.GetProperty("models"));

    /// <summary>torchvision-keys.json's entry for <paramref name="name"/> (parameters, trainable, keys).</summary>
    public static JsonElement Torchvision(string name) => TorchvisionKeys.Value.GetProperty(name);

    /// <summary>A keys.json written by tests/fixture-scripts/make_classic_zoo_fixtures.py (same layout as a torchvision-keys.json entry).</summary>
    public static JsonElement KeysFile(params string[] path) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine([Fixtures.Root, "zoo", .. path]))).RootElement;

    public static long ParameterCount(nn.Module model) => model.parameters().Sum(p => p.numel());

    public static long TrainableCount(nn.Module model) => model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>Parameter count equal to the ModelInfo figure and to the reference's, all trainable; state-dict keys, shapes and dtypes identical in order.</summary>
    public static void AssertMatchesReference(ZooModel model, ModelInfo info, JsonElement reference)
    {
        Assert.Equal(reference.GetProperty("parameters").GetInt64(), info.Parameters);
        Assert.Equal(info.Parameters, ParameterCount(model));
        Assert.Equal(reference.GetProperty("trainable").GetInt64(), TrainableCount(model));

        string[] expected = [.. reference.GetProperty("keys").EnumerateArray().Select(k =>
            $"{k[0].GetString()} [{string.Join(", ", k[1].EnumerateArray().Select(d => d.GetInt64()))}] {k[2].GetString()}")];
        string[] actual = [.. model.state_dict().Select(kv =>
            $"{kv.Key} [{string.Join(", ", kv.Value.shape)}] {DtypeName(kv.Value.dtype)}")];
        Assert.Equal(expected, actual);
    }

    /// <summary>Output shape batch x classes at <paramref name="input"/> for <paramref name="batches"/> (default 1 and 2), in evaluation mode.</summary>
    public static void AssertOutputShapes(ZooModel model, InputShape input, int classes, params int[] batches)
    {
        model.eval();
        using var noGrad = no_grad();
        foreach (int batch in batches.Length == 0 ? [1, 2] : batches)
        {
            using Tensor x = randn(batch, input.Channels, input.Height, input.Width);
            using Tensor y = model.call(x);
            Assert.Equal([batch, classes], y.shape);
            Assert.True(y.isfinite().all().item<bool>(), "the output has non-finite values");
        }
    }

    /// <summary>A backward pass in training mode gives a finite gradient, not all zero, to every parameter.</summary>
    public static void AssertBackward(ZooModel model, InputShape input, int batch = 2)
    {
        model.train();
        model.zero_grad();
        using (Tensor x = randn(batch, input.Channels, input.Height, input.Width))
        using (Tensor y = model.call(x))
        using (Tensor loss = y.square().mean())
        {
            loss.backward();
        }

        foreach ((string name, TorchSharp.Modules.Parameter p) in model.named_parameters())
        {
            Tensor? grad = p.grad;
            Assert.True(grad is not null, $"{name} has no gradient");
            Assert.Equal(p.shape, grad!.shape);
            Assert.True(grad.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            Assert.True(grad.abs().max().item<float>() > 0, $"{name} has an all-zero gradient");
        }

        model.zero_grad();
        model.eval();
    }

    /// <summary>Dropout acts in training mode only: two training forwards differ, two evaluation forwards are identical.</summary>
    public static void AssertDropoutOnlyInTraining(ZooModel model, InputShape input, int batch = 2)
    {
        using var noGrad = no_grad();
        using Tensor x = randn(batch, input.Channels, input.Height, input.Width);
        model.train();
        using (Tensor a = model.call(x))
        using (Tensor b = model.call(x))
        {
            Assert.False(Same(a, b), "two training-mode forwards are identical: dropout is not active");
        }

        model.eval();
        using (Tensor a = model.call(x))
        using (Tensor b = model.call(x))
        {
            Assert.True(Same(a, b), "two evaluation-mode forwards differ");
        }
    }

    /// <summary>
    /// The batch-norm layer <paramref name="layer"/> normalises with the batch's statistics in training (and updates
    /// its running statistics), with the running statistics in evaluation.
    /// </summary>
    public static void AssertBatchNormModes(ZooModel model, string layer, InputShape input, int batch = 2)
    {
        var bn = (TorchSharp.Modules.BatchNorm2d)model.named_modules().Single(m => m.name == layer).module;
        Tensor? seenInput = null;
        Tensor? seenOutput = null;
        var hook = bn.register_forward_hook((_, i, o) =>
        {
            seenInput?.Dispose();
            seenOutput?.Dispose();
            seenInput = i.detach().clone();
            seenOutput = o.detach().clone();
            return o;
        });
        try
        {
            CheckBatchNorm(model, bn, input, batch, () => (seenInput!, seenOutput!));
        }
        finally
        {
            hook.remove();
            seenInput?.Dispose();
            seenOutput?.Dispose();
        }
    }

    private static void CheckBatchNorm(ZooModel model, TorchSharp.Modules.BatchNorm2d bn, InputShape input, int batch, Func<(Tensor Input, Tensor Output)> seen)
    {
        using var noGrad = no_grad();
        using Tensor x = randn(batch, input.Channels, input.Height, input.Width);
        using Tensor before = bn.running_mean!.clone();

        model.train();
        model.call(x).Dispose();
        (Tensor seenInput, Tensor seenOutput) = seen();
        Assert.Equal(1, bn.num_batches_tracked!.item<long>());
        long[] dims = [0, 2, 3];
        using (Tensor mean = seenOutput.mean(dims))
        using (Tensor variance = seenOutput.var(dims, unbiased: false))
        using (Tensor batchMean = seenInput.mean(dims))
        using (Tensor expectedRunning = before * 0.9 + batchMean * 0.1)
        {
            // weight 1 and bias 0 (the initial values): batch statistics give mean 0 and variance 1 in every channel.
            Assert.True(mean.abs().max().item<float>() < 1e-4, $"training-mode BN output mean {mean.abs().max().item<float>()}");
            Assert.True((variance - 1).abs().max().item<float>() < 1e-2, "training-mode BN output variance is not 1");
            Assert.True(bn.running_mean!.allclose(expectedRunning, rtol: 1e-4, atol: 1e-6), "running mean not updated with momentum 0.1");
        }

        model.eval();
        model.call(x).Dispose();
        (seenInput, seenOutput) = seen();
        Assert.Equal(1, bn.num_batches_tracked!.item<long>());
        using Tensor shift = bn.running_mean!.view(1, -1, 1, 1);
        using Tensor scale = (bn.running_var! + bn.eps).sqrt().view(1, -1, 1, 1);
        using Tensor expected = (seenInput - shift) / scale * bn.weight!.view(1, -1, 1, 1) + bn.bias!.view(1, -1, 1, 1);
        Assert.True(seenOutput.allclose(expected, rtol: 1e-4, atol: 1e-5), "evaluation-mode BN does not use the running statistics");
    }

    public static bool Same(Tensor a, Tensor b)
    {
        using Tensor equal = a.eq(b).all();
        return equal.item<bool>();
    }

    /// <summary>Loads a torch.save'd state dict under Fixtures/zoo strictly.</summary>
    public static void LoadStateDict(nn.Module model, params string[] path) =>
        PyTorchCheckpoint.LoadInto(model, Path.Combine([Fixtures.Root, "zoo", .. path]), strict: true);

    /// <summary>A .npy fixture under Fixtures/zoo as a float32 tensor.</summary>
    public static Tensor ReadNpy(params string[] path) => NpyFile.ReadTensor(Path.Combine([Fixtures.Root, "zoo", .. path]));

    /// <summary>Largest absolute difference and that difference relative to the largest reference magnitude.</summary>
    public static (double MaxAbs, double Relative) Difference(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using Tensor difference = (actual.to_type(ScalarType.Float64) - expected.to_type(ScalarType.Float64)).abs();
        double maxAbs = difference.max().item<double>();
        double scale = expected.to_type(ScalarType.Float64).abs().max().item<double>();
        return (maxAbs, maxAbs / scale);
    }

    private static string DtypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        _ => type.ToString(),
    };
}
