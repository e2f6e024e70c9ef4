using System.Collections.Concurrent;
using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.Inspection;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Zoo;

/// <summary>What every zoo model must satisfy, whatever its family: exact parameters, multiply-adds near the published figure, output shape.</summary>
/// <remarks>Each model is built once (batch 1, canonical input); its figures are kept and the model freed before the next one.</remarks>
public class ZooCriteriaTests(ZooCriteriaTests.Measurements measurements, ITestOutputHelper log) : IClassFixture<ZooCriteriaTests.Measurements>
{
    public static TheoryData<string> Names => [.. ModelZoo.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void ParameterCountIsTheReferenceFigureExactly(string name)
    {
        Measured m = measurements.Of(name);
        Assert.Equal(m.Info.Parameters, m.Parameters);
        Assert.Equal(m.Info.Parameters, m.Summary.Parameters);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void CountedMultiplyAddsAreWithinTwoPercentOfThePublishedFigure(string name)
    {
        Measured m = measurements.Of(name);
        double ours = m.Summary.MultiplyAdds / 1e9;
        log.WriteLine($"{name}: counted {m.Summary.MultiplyAdds:N0} ({ours:F4} G), published {m.Info.MultiplyAdds} G, ratio {ours / m.Info.MultiplyAdds:F4}; parameters {m.Parameters:N0} (reference {m.Info.Parameters:N0})");
        Assert.True(ours > 0, $"{name}: no multiply-adds counted (are submodules called with call()?)");
        if (m.Info.MultiplyAdds > 0)
        {
            Assert.InRange(ours / m.Info.MultiplyAdds, 0.98, 1.02);
        }
    }

    public static TheoryData<string> TorchvisionNames => [.. TorchvisionCounts.Value.Keys.Where(ModelZoo.Contains)];

    [Theory]
    [MemberData(nameof(TorchvisionNames))]
    public void ConvolutionAndLinearCallsMatchTorchvisionsLayerByLayer(string name)
    {
        // Counted in PyTorch by tests/fixture-scripts/torchvision_multiply_adds.py: the same calls with the same figures.
        // Compared by path, not order: a block may run its shortcut before its main branch without changing anything.
        JsonElement reference = TorchvisionCounts.Value[name];
        Measured m = measurements.Of(name);
        Assert.Equal([.. reference.GetProperty("input").EnumerateArray().Select(e => e.GetInt32())], new[] { m.Info.Input.Channels, m.Info.Input.Height, m.Info.Input.Width });
        var expected = reference.GetProperty("layers").EnumerateArray().Select(l => (l[0].GetString()!, l[1].GetInt64())).Order().ToList();
        var ours = m.Summary.Rows.Where(r => r.Type is "Conv2d" or "Linear").Select(r => (r.Name, r.MultiplyAdds)).Order().ToList();
        Assert.Equal(expected, ours);
        Assert.Equal(reference.GetProperty("multiplyAdds").GetInt64(), m.Summary.MultiplyAdds);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ForwardAtTheCanonicalInputGivesTheClasses(string name)
    {
        Measured m = measurements.Of(name);
        Assert.Equal(1, m.OutputShape[0]);
        Assert.Equal(m.Info.Classes, m.OutputShape[1]);
        // Classifiers give batch x classes; a segmentation network (ENet) a map of the input's size.
        if (m.OutputShape.Length == 4)
        {
            Assert.Equal([m.Info.Input.Height, m.Info.Input.Width], m.OutputShape[2..]);
        }
        else
        {
            Assert.Equal(2, m.OutputShape.Length);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryParameterisedModuleRunsInEvaluationModeExceptAuxiliaryHeads(string name)
    {
        // A submodule called with forward() instead of call() escapes hooks: summaries and feature extraction would miss it.
        Measured m = measurements.Of(name);
        Assert.All(m.NotRun, path => Assert.Contains("aux", path, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(m.Summary.ParametersNotRun == 0, m.NotRun.Count == 0);
    }

    [Fact]
    public void NamesAreUniqueAndDescribed()
    {
        Assert.NotEmpty(ModelZoo.Names);
        Assert.Equal(ModelZoo.Names.Count, ModelZoo.Names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(ModelZoo.Names, n => Assert.Equal(n, ModelZoo.Describe(n).Name));
        Assert.All(ModelZoo.Names, n => Assert.True(ModelZoo.Contains(n.ToUpperInvariant())));
    }

    [Fact]
    public void UnknownNamesAreRefusedWithTheList()
    {
        Assert.False(ModelZoo.Contains("vgg17"));
        var describe = Assert.Throws<KeyNotFoundException>(() => ModelZoo.Describe("vgg17"));
        var create = Assert.Throws<KeyNotFoundException>(() => ModelZoo.Create("vgg17"));
        foreach (KeyNotFoundException e in new[] { describe, create })
        {
            Assert.Contains("'vgg17'", e.Message);
            Assert.Contains(ModelZoo.Names[0], e.Message);
            Assert.Contains(ModelZoo.Names[^1], e.Message);
        }
    }

    private static readonly Lazy<IReadOnlyDictionary<string, JsonElement>> TorchvisionCounts = new(() =>
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "zoo", "torchvision-multiply-adds.json")));
        return doc.RootElement.GetProperty("models").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    });

    /// <summary>A model's figures, measured once.</summary>
    public sealed record Measured(ModelInfo Info, long Parameters, ModelSummary Summary, long[] OutputShape, IReadOnlyList<string> NotRun);

    /// <summary>Builds each model on first use, measures it and frees it.</summary>
    public sealed class Measurements
    {
        private readonly ConcurrentDictionary<string, Lazy<Measured>> _cache = new(StringComparer.Ordinal);

        public Measured Of(string name) => _cache.GetOrAdd(name, n => new Lazy<Measured>(() => Measure(n))).Value;

        private static Measured Measure(string name)
        {
            ModelInfo info = ModelZoo.Describe(name);
            using ZooModel model = ModelZoo.Create(name, new ZooOptions(Seed: 1));
            ModelSummary summary = ModelSummary.Create(model, info.Input);
            var ran = summary.Rows.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            // Each module once, under its first path (a module registered under two names is still one module).
            List<string> notRun = [.. ModuleTree.Modules(model)
                .Where(m => m.Module.parameters(recurse: false).Any() && !ran.Contains(m.Path))
                .Select(m => m.Path)];
            return new Measured(info, model.parameters().Sum(p => p.numel()), summary, [.. summary.Output], notRun);
        }
    }
}
