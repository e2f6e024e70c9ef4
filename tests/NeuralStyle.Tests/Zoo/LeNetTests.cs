using NeuralStyle.Zoo;
using NeuralStyle.Zoo.LeNet;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary>LeNet-5, the paper's and the modern variant, against the independent PyTorch implementations of make_classic_zoo_fixtures.py.</summary>
public class LeNetTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names => new(["lenet5", "lenet5-modern"]);

    [Theory]
    [MemberData(nameof(Names))]
    public void MeetsTheCriteria(string name)
    {
        ModelInfo info = ModelZoo.Describe(name);
        Assert.Equal(new InputShape(1, 32, 32), info.Input);
        Assert.True(info.Preprocessing.Grayscale);
        Assert.Equal(32, info.Preprocessing.Crop);
        manual_seed(6);
        using ZooModel model = ModelZoo.Create(name);
        ClassicZooChecks.AssertMatchesReference(model, info, ClassicZooChecks.KeysFile("lenet", name, "keys.json"));
        ClassicZooChecks.AssertOutputShapes(model, info.Input, 10);
        ClassicZooChecks.AssertBackward(model, info.Input);

        // No dropout or batch norm: training and evaluation compute the same function.
        using var noGrad = no_grad();
        using Tensor x = randn(2, 1, 32, 32);
        model.train();
        using Tensor trained = model.call(x);
        model.eval();
        using Tensor evaluated = model.call(x);
        Assert.True(ClassicZooChecks.Same(trained, evaluated));
    }

    [Fact]
    public void SeedMakesTheWeightsReproducible()
    {
        using ZooModel a = ModelZoo.Create("lenet5", new ZooOptions(Seed: 42));
        using ZooModel b = ModelZoo.Create("lenet5", new ZooOptions(Seed: 42));
        using ZooModel c = ModelZoo.Create("lenet5", new ZooOptions(Seed: 43));
        Dictionary<string, Tensor> sa = a.state_dict(), sb = b.state_dict(), sc = c.state_dict();
        Assert.All(sa.Keys, k => Assert.True(ClassicZooChecks.Same(sa[k], sb[k]), k));
        Assert.Contains(sa.Keys, k => !ClassicZooChecks.Same(sa[k], sc[k]));
    }

    [Fact]
    public void PaperVersionHasSixtyThousandTrainableParametersAndFixedCentres()
    {
        using ZooModel model = ModelZoo.Create("lenet5");
        Assert.Equal(60_000, ClassicZooChecks.TrainableCount(model));
        Assert.Equal(1_516, model.named_parameters().Where(p => p.name.StartsWith("c3.", StringComparison.Ordinal)).Sum(p => p.parameter.numel()));
        Tensor centres = model.state_dict()["output.centres"];
        Assert.Equal([10L, 84], centres.shape);
        Assert.False(centres.requires_grad);
        Assert.True(centres.abs().eq(1).all().item<bool>(), "centres are not +-1");
        Assert.DoesNotContain(model.named_parameters(), p => p.name.StartsWith("output", StringComparison.Ordinal));
    }

    [Fact]
    public void PartialConnectionTableIsThePapers()
    {
        // Table I: column i lists the S2 maps C3 map i sees.
        Assert.Equal(16, LeNet5.C3Connections.Count);
        Assert.Equal(6 * 3 + 9 * 4 + 6, LeNet5.C3Connections.Sum(c => c.Count));
        Assert.Equal([0, 4, 5], LeNet5.C3Connections[4]);
        Assert.Equal([0, 2, 3, 5], LeNet5.C3Connections[14]);

        // A C3 map changes only with the inputs its row lists.
        using var c3 = new PartialConnectionConv(LeNet5.C3Connections, 6, 5);
        using var noGrad = no_grad();
        manual_seed(8);
        using Tensor x = randn(1, 6, 14, 14);
        using Tensor y = c3.call(x);
        for (int source = 0; source < 6; source++)
        {
            using Tensor changed = x.clone();
            changed[0, source].add_(1);
            using Tensor z = c3.call(changed);
            for (int map = 0; map < 16; map++)
            {
                bool differs = !z[0, map].allclose(y[0, map], rtol: 0, atol: 1e-7);
                Assert.True(differs == LeNet5.C3Connections[map].Contains(source), $"C3 map {map}, S2 map {source}");
            }
        }
    }

    [Fact]
    public void ScaledTanhMapsOneToOne()
    {
        using var f = new ScaledTanh();
        using Tensor y = f.call(tensor(new[] { -1.0, 0.0, 1.0, 100.0 }));
        double[] v = y.data<double>().ToArray();
        Assert.Equal(-1, v[0], 1e-4);
        Assert.Equal(0, v[1]);
        Assert.Equal(1, v[2], 1e-4);
        Assert.Equal(1.7159, v[3], 1e-12);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AgreesWithPyTorch(string name)
    {
        using ZooModel model = ModelZoo.Create(name);
        ClassicZooChecks.LoadStateDict(model, "lenet", name, "state_dict.pth");
        using var noGrad = no_grad();
        using Tensor input = ClassicZooChecks.ReadNpy("lenet", name, "input.npy");
        using Tensor expected = ClassicZooChecks.ReadNpy("lenet", name, "output.npy");
        using Tensor actual = model.call(input);
        (double maxAbs, double relative) = ClassicZooChecks.Difference(actual, expected);
        output.WriteLine($"{name} vs PyTorch (float64 reference): max abs diff {maxAbs:G3}, relative {relative:G3}");
        Assert.True(relative < 1e-5, $"relative difference {relative}");
    }
}
