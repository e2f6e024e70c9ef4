using System.Text.Json;
using NeuralStyle.Tests.Support;
using TorchSharp;
using NeuralStyle.Zoo;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary>A state-dict entry as the reference files list it: key, shape, dtype name ("float32", "int64").</summary>
public sealed record StateKey(string Key, long[] Shape, string DType)
{
    public override string ToString() => $"{Key} [{string.Join(", ", Shape)}] {DType}";
}

/// <summary>Helpers shared by the GoogLeNet, Inception v3 and BN-Inception tests.</summary>
public static class InceptionZooSupport
{
    /// <summary>The state dict in PyTorch's order: a module's own parameters, then its own buffers, then each child in registration order.</summary>
    /// <remarks>TorchSharp's state_dict() lists every parameter of the tree before any buffer, which is not PyTorch's order.</remarks>
    public static List<(string Key, Tensor Value)> PyTorchStateDict(nn.Module module)
    {
        var entries = new List<(string, Tensor)>();
        Collect(module, "", entries);
        return entries;
    }

    public static List<StateKey> KeysOf(nn.Module module) =>
        [.. PyTorchStateDict(module).Select(e => new StateKey(e.Key, e.Value.shape, DTypeName(e.Value.dtype)))];

    /// <summary>The keys of <paramref name="model"/> once registered as a child of another module (prefix removed).</summary>
    /// <remarks>Registering runs TorchSharp's reflection-based RegisterComponents on the child, which must not add keys.</remarks>
    public static List<StateKey> KeysAsChild(nn.Module<Tensor, Tensor> model)
    {
        var parent = nn.Sequential(("child", model));
        return [.. KeysOf(parent).Select(k => k with { Key = k.Key["child.".Length..] })];
    }

    /// <summary>torchvision's keys for <paramref name="model"/> (Fixtures/zoo/torchvision-keys.json) and its parameter count.</summary>
    public static (long Parameters, List<StateKey> Keys) TorchvisionKeys(string model)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "zoo", "torchvision-keys.json")));
        return ReadKeys(doc.RootElement.GetProperty("models").GetProperty(model));
    }

    /// <summary>Cadene's BN-Inception keys (Fixtures/zoo/bninception/cadene-keys.json) and its parameter count.</summary>
    public static (long Parameters, List<StateKey> Keys) CadeneKeys()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "zoo", "bninception", "cadene-keys.json")));
        return ReadKeys(doc.RootElement);
    }

    public static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());

    /// <summary>Asserts equal key lists, reporting the first difference rather than two 500-line lists.</summary>
    public static void AssertSameKeys(IReadOnlyList<StateKey> expected, IReadOnlyList<StateKey> actual)
    {
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (expected[i].ToString() != actual[i].ToString())
            {
                Assert.Fail($"state-dict entry {i}: expected {expected[i]}, got {actual[i]}");
            }
        }

        Assert.Equal(expected.Count, actual.Count);
    }

    /// <summary>Backward from <paramref name="loss"/>: every parameter gets a finite gradient, every weight (dim >= 2) a non-zero one.</summary>
    public static void AssertFiniteGradients(nn.Module module, Tensor loss)
    {
        module.zero_grad();
        loss.backward();
        int checkedCount = 0;
        foreach ((string name, var parameter) in module.named_parameters())
        {
            Tensor? grad = parameter.grad;
            Assert.True(grad is not null, $"{name} has no gradient");
            Assert.True(grad.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            if (parameter.dim() >= 2)
            {
                Assert.True(grad.abs().max().item<float>() > 0, $"{name} has an all-zero gradient");
            }

            checkedCount++;
        }

        Assert.True(checkedCount > 0);
    }

    /// <summary>Same shape and bitwise-equal values.</summary>
    public static bool Identical(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>max |a - b| / max |b|.</summary>
    public static double RelativeError(Tensor actual, Tensor expected) =>
        (actual - expected).abs().max().item<float>() / (double)expected.abs().max().item<float>();

    /// <summary>Records every output of the submodule <paramref name="path"/> until disposed.</summary>
    public static OutputRecorder RecordOutputs(nn.Module root, string path)
    {
        var target = (nn.Module<Tensor, Tensor>)root.named_modules().Single(m => m.name == path).module;
        return new OutputRecorder(target);
    }

    /// <summary>A JSON array of arrays of numbers as a float32 matrix.</summary>
    public static Tensor Matrix(JsonElement rows) =>
        tensor([.. rows.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle()))]).reshape(rows.GetArrayLength(), -1);

    /// <summary>Training mode with every dropout in evaluation mode: batch statistics and aux heads, deterministically.</summary>
    public static void TrainWithoutDropout(nn.Module model)
    {
        model.train();
        foreach ((_, nn.Module module) in model.named_modules())
        {
            if (module is NeuralStyle.Zoo.Blocks.ZooDropout)
            {
                module.eval();
            }
        }
    }

    /// <summary>
    /// A torchvision model against Fixtures/zoo/inception/NAME-outputs.json (tests/fixture-scripts/inception_hashed_reference.py):
    /// hashed weights and input, in eval mode and in eval mode with transform_input (against PyTorch's float32, within
    /// <paramref name="tolerance"/>), and in training mode without dropout, main and auxiliary outputs, against
    /// PyTorch's float64 run. Training mode normalises with batch statistics, which for a batch of 2 and 1x1 maps
    /// magnifies rounding: PyTorch's own float32 is 1.4e-4 from float64 on Inception v3's AuxLogits. A training
    /// output must be within <paramref name="tolerance"/> of float64, or within twice PyTorch's own float32 error
    /// where that is larger (as accurate as PyTorch). Returns the largest relative error.
    /// </summary>
    public static double AssertHashedAgreement(ZooModel model, ZooModel transformModel, string name, ITestOutputHelper output, double tolerance = 1e-4)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "zoo", "inception", $"{name}-outputs.json")));
        JsonElement root = doc.RootElement;
        long[] inputShape = [.. root.GetProperty("input").EnumerateArray().Select(d => d.GetInt64())];
        Tensor input = HashedTensors.Create("input", inputShape);
        var errors = new List<(string What, double Error, double Tolerance)>();

        HashedTensors.Fill(model);
        HashedTensors.Fill(transformModel);
        model.eval();
        transformModel.eval();
        errors.Add(("eval", RelativeError(model.call(input), Matrix(root.GetProperty("eval"))), tolerance));
        errors.Add(("eval, transform_input", RelativeError(transformModel.call(input), Matrix(root.GetProperty("eval_transform"))), tolerance));

        try
        {
            TrainWithoutDropout(model);
            ZooOutput train = model.ForwardAll(input);
            JsonElement exact = root.GetProperty("train_f64");
            JsonElement float32Error = root.GetProperty("train_f32_error");
            var outputs = new List<(string Key, Tensor Value)> { ("logits", train.Main) };
            outputs.AddRange(train.Auxiliary.Select(a => (a.Key, a.Value)));
            Assert.Equal(exact.EnumerateObject().Select(p => p.Name).Order(), outputs.Select(o => o.Key).Order());
            foreach ((string key, Tensor value) in outputs)
            {
                double pytorch = float32Error.GetProperty(key).GetDouble();
                double error = RelativeError64(value, Matrix64(exact.GetProperty(key)));
                double againstFloat32 = RelativeError(value, Matrix(root.GetProperty("train").GetProperty(key)));
                output.WriteLine($"{name} train {key}: vs float64 {error:E2} (PyTorch's float32 vs float64 {pytorch:E2}; ours vs PyTorch's float32 {againstFloat32:E2})");
                errors.Add(($"train {key} vs float64", error, Math.Max(tolerance, 2 * pytorch)));
            }
        }
        finally
        {
            model.eval();
        }

        foreach ((string what, double error, double limit) in errors)
        {
            output.WriteLine($"{name} vs torchvision, hashed weights ({what}, batch {inputShape[0]}, {inputShape[2]}x{inputShape[3]}): max relative error {error:E2} (tolerance {limit:E1})");
        }

        foreach ((string what, double error, double limit) in errors)
        {
            Assert.True(error <= limit, $"{what}: relative error {error:E2} > {limit:E1}");
        }

        return errors.Max(e => e.Error);
    }

    /// <summary>max |actual - expected| / max |expected| in float64 (<paramref name="expected"/> is float64).</summary>
    public static double RelativeError64(Tensor actual, Tensor expected) =>
        (actual.to(ScalarType.Float64) - expected).abs().max().item<double>() / expected.abs().max().item<double>();

    /// <summary>A JSON array of arrays of numbers as a float64 matrix.</summary>
    public static Tensor Matrix64(JsonElement rows) =>
        tensor([.. rows.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble()))]).reshape(rows.GetArrayLength(), -1);

    private static (long, List<StateKey>) ReadKeys(JsonElement model)
    {
        var keys = new List<StateKey>();
        foreach (JsonElement entry in model.GetProperty("keys").EnumerateArray())
        {
            keys.Add(new StateKey(
                entry[0].GetString()!,
                [.. entry[1].EnumerateArray().Select(d => d.GetInt64())],
                entry[2].GetString()!));
        }

        return (model.GetProperty("parameters").GetInt64(), keys);
    }

    private static void Collect(nn.Module module, string prefix, List<(string, Tensor)> entries)
    {
        foreach ((string name, var parameter) in module.named_parameters(recurse: false))
        {
            entries.Add((prefix + name, parameter));
        }

        foreach ((string name, Tensor buffer) in module.named_buffers(recurse: false, include_nonpersistent: false))
        {
            entries.Add((prefix + name, buffer));
        }

        foreach ((string name, nn.Module child) in module.named_children())
        {
            Collect(child, prefix + name + ".", entries);
        }
    }

    private static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Int64 => "int64",
        _ => type.ToString(),
    };
}

/// <summary>A forward hook that keeps the outputs of one module, removed on dispose.</summary>
public sealed class OutputRecorder : IDisposable
{
    private readonly Action _remove;

    public OutputRecorder(nn.Module<Tensor, Tensor> module)
    {
        var handle = module.register_forward_hook((_, _, output) =>
        {
            Outputs.Add(output);
            return null!;
        });
        _remove = handle.remove;
    }

    public List<Tensor> Outputs { get; } = [];

    public void Dispose() => _remove();
}
