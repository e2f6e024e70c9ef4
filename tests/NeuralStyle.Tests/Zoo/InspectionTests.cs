using System.Text.Json;
using NeuralStyle.Zoo.Inspection;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

public class InspectionTests
{
    [Fact]
    public void SummaryRowsAreTheLeafCallsInExecutionOrderWithHandCountedFigures()
    {
        manual_seed(1);
        using var model = new InspectionTinyModel();
        ModelSummary summary = ModelSummary.Create(model, InspectionTinyModel.Input);

        Assert.Equal(
            ["stem.0", "stem.1", "stem.2", "grouped", "mix", "mix", "block.conv", "block.bn", "gain", "pool", "fc"],
            summary.Rows.Select(r => r.Name));
        Assert.Equal(
            ["Conv2d", "ReLU", "MaxPool2d", "Conv2d", "Conv2d", "Conv2d", "ConvTranspose2d", "BatchNorm2d", "Gain", "AdaptiveAvgPool2d", "Linear"],
            summary.Rows.Select(r => r.Type));
        Assert.Equal(
            [InspectionTinyModel.StemConv, 0, 0, InspectionTinyModel.Grouped, InspectionTinyModel.Mix, InspectionTinyModel.Mix,
                InspectionTinyModel.Transposed, 0, InspectionTinyModel.GainMacs, 0, InspectionTinyModel.Fc],
            summary.Rows.Select(r => r.MultiplyAdds));
        Assert.Equal([224L, 0, 0, 152, 72, 72, 132, 8, 4, 0, 25], summary.Rows.Select(r => r.Parameters));
        Assert.Equal([false, false, false, false, false, true, false, false, false, false, false], summary.Rows.Select(r => r.Repeated));
        Assert.Equal([1L, 8, 8, 8], summary.Rows[0].OutputShape);
        Assert.Equal([1L, 4, 8, 8], summary.Rows[6].OutputShape);
        Assert.Equal([1L, 5], summary.Rows[^1].OutputShape);

        Assert.Equal(InspectionTinyModel.TotalMultiplyAdds, summary.MultiplyAdds);
        Assert.Equal(InspectionTinyModel.TotalParameters, summary.Parameters);
        Assert.Equal(InspectionTinyModel.TotalParameters, summary.TrainableParameters);
        Assert.Equal(10, summary.ParametersNotRun);
        Assert.Equal(3 * 8 * 8 * 4, summary.InputBytes);
        Assert.Equal(InspectionTinyModel.TotalParameters * 4, summary.ParameterBytes);
    }

    [Fact]
    public void LeNet5sPaperLayersCountAsTheLayersTheyGeneralise()
    {
        using NeuralStyle.Zoo.ZooModel model = NeuralStyle.Zoo.ModelZoo.Create("lenet5");
        var macs = ModelSummary.Create(model, new NeuralStyle.Zoo.InputShape(1, 32, 32), batch: 2).Rows.ToDictionary(r => r.Name, r => r.MultiplyAdds);
        // C1 28x28x6 x 25; S2 14x14x6 x 4; C3 10x10 x 1,500 table weights; S4 5x5x16 x 4; C5 120 x 400; F6 84 x 120; RBF 10 x 84.
        Assert.Equal(117_600, macs["c1"]);
        Assert.Equal(4_704, macs["s2"]);
        Assert.Equal(150_000, macs["c3"]);
        Assert.Equal(1_600, macs["s4"]);
        Assert.Equal(48_000, macs["c5"]);
        Assert.Equal(10_080, macs["f6"]);
        Assert.Equal(840, macs["output"]);
        Assert.Equal(332_824, macs.Values.Sum());
    }

    [Fact]
    public void MultiplyAddsArePerImageWhateverTheBatch()
    {
        using var model = new InspectionTinyModel();
        ModelSummary summary = ModelSummary.Create(model, InspectionTinyModel.Input, batch: 3);
        Assert.Equal(InspectionTinyModel.TotalMultiplyAdds, summary.MultiplyAdds);
        Assert.Equal([3L, 3, 8, 8], summary.Input);
        Assert.Equal([3L, 5], summary.Rows[^1].OutputShape);
    }

    [Fact]
    public void SummaryRunsInEvaluationModeAndRestoresTheMode()
    {
        using var model = new InspectionTinyModel();
        model.train();
        ModelSummary summary = ModelSummary.Create(model, InspectionTinyModel.Input);
        Assert.DoesNotContain(summary.Rows, r => r.Name == "aux");
        Assert.True(model.training);
        Assert.Null(model.LastAux);
    }

    [Fact]
    public void FrozenParametersAreNotTrainable()
    {
        using var model = new InspectionTinyModel();
        foreach (var p in model.parameters())
        {
            p.requires_grad_(false);
        }

        ModelSummary summary = ModelSummary.Create(model, InspectionTinyModel.Input);
        Assert.Equal(0, summary.TrainableParameters);
        Assert.Equal(InspectionTinyModel.TotalParameters, summary.Parameters);
    }

    [Fact]
    public void TableAndJsonCarryTheSameFigures()
    {
        using var model = new InspectionTinyModel();
        ModelSummary summary = ModelSummary.Create(model, InspectionTinyModel.Input);

        string table = summary.ToTable();
        Assert.Contains("tiny, input 1x3x8x8, output 1x5", table);
        string[] lines = table.Split('\n');
        string stem = lines.Single(l => l.StartsWith("stem.0 (Conv2d)", StringComparison.Ordinal));
        Assert.Contains("1x8x8x8", stem);
        Assert.Equal(["stem.0", "(Conv2d)", "1x8x8x8", "224", "13,824"], stem.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(lines, l => l.StartsWith("mix (Conv2d)", StringComparison.Ordinal) && l.Contains("(shared)"));
        Assert.Contains($"Total params: {InspectionTinyModel.TotalParameters:N0}", table);
        Assert.Contains($"Multiply-adds per image: {InspectionTinyModel.TotalMultiplyAdds:N0}", table);
        Assert.Contains("Params of modules that did not run: 10", table);

        using JsonDocument json = JsonDocument.Parse(summary.ToJson());
        JsonElement root = json.RootElement;
        Assert.Equal("tiny", root.GetProperty("model").GetString());
        Assert.Equal([1, 3, 8, 8], root.GetProperty("input").EnumerateArray().Select(e => e.GetInt32()));
        JsonElement[] layers = [.. root.GetProperty("layers").EnumerateArray()];
        Assert.Equal(11, layers.Length);
        Assert.Equal("block.conv", layers[6].GetProperty("name").GetString());
        Assert.Equal(InspectionTinyModel.Transposed, layers[6].GetProperty("multiplyAdds").GetInt64());
        Assert.Equal([1, 4, 8, 8], layers[6].GetProperty("outputShape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(layers[5].GetProperty("repeated").GetBoolean());
        JsonElement totals = root.GetProperty("totals");
        Assert.Equal(InspectionTinyModel.TotalParameters, totals.GetProperty("parameters").GetInt64());
        Assert.Equal(InspectionTinyModel.TotalMultiplyAdds, totals.GetProperty("multiplyAdds").GetInt64());
    }

    [Fact]
    public void LayerNamesIncludeContainersAfterTheirChildrenAndSharedModulesOnce()
    {
        using var model = new InspectionTinyModel();
        Assert.Equal(
            ["stem.0", "stem.1", "stem.2", "stem", "grouped", "mix", "block.conv", "block.bn", "block", "gain", "pool", "fc"],
            ZooLayers.Names(model, InspectionTinyModel.Input));
        ZooLayer stem = ZooLayers.Describe(model, InspectionTinyModel.Input).Single(l => l.Name == "stem");
        Assert.Equal(("Sequential", false), (stem.Type, stem.IsLeaf));
        Assert.Equal([1L, 8, 4, 4], stem.OutputShape);
    }

    [Fact]
    public void FeaturesAreTheModulesOutputsEvenInsideASequential()
    {
        manual_seed(2);
        using var model = new InspectionTinyModel();
        using var scope = NewDisposeScope();
        Tensor x = randn(2, 3, 8, 8);
        IReadOnlyDictionary<string, Tensor> features = ZooFeatures.Extract(model, x, ["stem.1", "block", "stem"]);

        var conv = (TorchSharp.Modules.Conv2d)model.named_modules().Single(m => m.name == "stem.0").module;
        Tensor expected = nn.functional.relu(nn.functional.conv2d(x, conv.weight!, conv.bias, padding: [1, 1]));
        // stem.1 is an intermediate result that Sequential disposes; the extracted handle must survive that.
        Assert.True(features["stem.1"].allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.True(features["stem"].allclose(nn.functional.max_pool2d(expected, 2), rtol: 1e-5, atol: 1e-6));
        Assert.Equal([2L, 4, 8, 8], features["block"].shape);
    }

    [Fact]
    public void ExtractionStopsAfterTheDeepestRequestedLayer()
    {
        using var model = new InspectionTinyModel();
        var fc = (TorchSharp.Modules.Linear)model.named_modules().Single(m => m.name == "fc").module;
        var gain = (nn.Module<Tensor, Tensor>)model.named_modules().Single(m => m.name == "gain").module;
        int fcCalls = 0, gainCalls = 0;
        var fcHook = fc.register_forward_hook((_, _, y) => { fcCalls++; return y; });
        var gainHook = gain.register_forward_hook((_, _, y) => { gainCalls++; return y; });
        using var scope = NewDisposeScope();

        _ = ZooFeatures.Extract(model, randn(1, 3, 8, 8), ["grouped", "block.conv"]);
        Assert.Equal((0, 0), (fcCalls, gainCalls));

        _ = ZooFeatures.Extract(model, randn(1, 3, 8, 8), ["fc"]);
        Assert.Equal((1, 1), (fcCalls, gainCalls));
        fcHook.remove();
        gainHook.remove();

        // The extraction's own hooks are gone: a plain forward pass still works and is not cut short.
        Assert.Equal([1L, 5], model.call(randn(1, 3, 8, 8)).shape);
    }

    [Fact]
    public void GradientsFlowThroughExtractedFeatures()
    {
        using var model = new InspectionTinyModel();
        using var scope = NewDisposeScope();
        Tensor x = randn(1, 3, 8, 8).requires_grad_(true);
        ZooFeatures.Extract(model, x, ["stem.1", "mix"]).Values.Select(t => t.square().sum()).Aggregate((a, b) => a + b).backward();
        Assert.NotNull(x.grad);
        Assert.True(x.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void UnknownAndNotRunLayersAreNamedInTheError()
    {
        using var model = new InspectionTinyModel();
        using var scope = NewDisposeScope();
        var unknown = Assert.Throws<ArgumentException>(() => ZooFeatures.Extract(model, randn(1, 3, 8, 8), ["stem.9"]));
        Assert.Contains("'stem.9'", unknown.Message);
        model.eval();
        var notRun = Assert.Throws<ArgumentException>(() => ZooFeatures.Extract(model, randn(1, 3, 8, 8), ["aux", "fc"]));
        Assert.Contains("aux", notRun.Message);
        Assert.Contains("did not run", notRun.Message);

        model.train();
        Assert.Equal([2L, 2], ZooFeatures.Extract(model, randn(2, 3, 8, 8), ["aux"])["aux"].shape);
    }
}
