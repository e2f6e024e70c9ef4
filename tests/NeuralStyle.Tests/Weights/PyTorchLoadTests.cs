using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Npy;
using NeuralStyle.Weights.PyTorch;
using Xunit;
using Xunit.Abstractions;
using static NeuralStyle.Tests.Weights.PyTorchReadTests;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>PyTorchCheckpoint.LoadInto: TinyNet loaded from torch's files must compute torch's output.</summary>
public sealed class PyTorchLoadTests(ITestOutputHelper output)
{
    private static ReferenceRun TinyRun(string stateDict) =>
        new(Fixture(stateDict), Fixture("tiny_net_input.npy"), Fixture("tiny_net_output.npy"));

    [Theory]
    [InlineData("tiny_net.pth")]
    [InlineData("tiny_net_f64.pth")]
    [InlineData("nested_state_dict.pth")]
    [InlineData("nested_model.pth")]
    [InlineData("data_parallel.pth")]
    [InlineData("legacy/tiny_net.pth")]
    [InlineData("legacy/tiny_net_f64.pth")]
    [InlineData("legacy/nested_state_dict.pth")]
    [InlineData("legacy/py2_tiny_net.pth")]
    public void Loaded_weights_reproduce_torchs_output(string file)
    {
        using var net = new TinyNet();

        AgreementResult result = TorchvisionAgreement.Compare("tiny_net", net, TinyRun(file));

        output.WriteLine(result.ToString());
        result.AssertAgrees(1e-6);
        var buffers = net.state_dict();
        Assert.Equal(3, buffers["bn.num_batches_tracked"].item<long>());
        Assert.Equal(ScalarType.Float32, buffers["conv.weight"].dtype);
    }

    [Fact]
    public void Random_weights_do_not_agree()
    {
        // The comparison must be able to fail: a net that kept its own initial weights differs.
        using var net = new TinyNet();
        using var _ = no_grad();
        AgreementResult loaded = TorchvisionAgreement.Compare("tiny_net", net, TinyRun("tiny_net.pth"));
        foreach (var p in net.parameters())
        {
            p.add_(0.01);
        }

        var input = NpyFile.ReadTensor(Fixture("tiny_net_input.npy"));
        var reference = NpyFile.ReadTensor(Fixture("tiny_net_output.npy"));
        double diff = (net.call(input) - reference).abs().max().item<float>();
        Assert.True(loaded.MaxAbsDiff < 1e-6 && diff > 1e-3, $"loaded {loaded.MaxAbsDiff}, perturbed {diff}");
        Assert.Throws<Xunit.Sdk.TrueException>(() => (loaded with { MaxAbsDiff = 1 }).AssertAgrees(1e-4));
        Assert.Throws<Xunit.Sdk.TrueException>(() => (loaded with { MaxAbsDiff = double.NaN }).AssertAgrees(1e-4));
    }

    [Fact]
    public void Mismatches_are_listed_with_counts_and_shapes()
    {
        using var net = new TinyNet(classes: 6);

        var e = Assert.Throws<PyTorchFormatException>(() => PyTorchCheckpoint.LoadInto(net, Fixture("tiny_net.pth")));

        output.WriteLine(e.Message);
        Assert.StartsWith(Fixture("tiny_net.pth") + ": ", e.Message);
        Assert.Contains("2 shape mismatches: fc.weight (module [6, 4], file [5, 4]), fc.bias (module [6], file [5])", e.Message);
        Assert.DoesNotContain("missing", e.Message);
    }

    [Fact]
    public void Missing_and_unexpected_keys_are_listed_first_ten_with_counts()
    {
        using var wide = new Wide();

        var e = Assert.Throws<PyTorchFormatException>(() => PyTorchCheckpoint.LoadInto(wide, Fixture("tiny_net.pth")));

        output.WriteLine(e.Message);
        Assert.Contains("12 missing keys: extra.0.weight, extra.0.bias, extra.1.weight, extra.1.bias, extra.2.weight, extra.2.bias, extra.3.weight, extra.3.bias, extra.4.weight, extra.4.bias, ... (2 more)", e.Message);
        Assert.Contains("5 unexpected keys: bn.weight, bn.bias, bn.running_mean, bn.running_var, bn.num_batches_tracked", e.Message);
        Assert.Contains("1 unexpected key", new TinyNetWithoutFc().LoadMessage());
    }

    [Fact]
    public void Non_strict_loading_skips_missing_and_unexpected_keys_but_not_shapes()
    {
        using var wide = new Wide();
        using Tensor before = wide.state_dict()["extra.0.weight"].clone();

        PyTorchCheckpoint.LoadInto(wide, Fixture("tiny_net.pth"), strict: false);

        IReadOnlyDictionary<string, Tensor> saved = PyTorchCheckpoint.Read(Fixture("tiny_net.pth"));
        Assert.True(wide.state_dict()["conv.weight"].allclose(saved["conv.weight"], 0, 0));
        Assert.True(wide.state_dict()["extra.0.weight"].allclose(before, 0, 0));
        using var narrow = new TinyNet(classes: 6);
        Assert.Throws<PyTorchFormatException>(() => PyTorchCheckpoint.LoadInto(narrow, Fixture("tiny_net.pth"), strict: false));
    }

    /// <summary>TinyNet's conv and fc (no bn) plus six Linear layers under 'extra': 12 keys the file lacks.</summary>
    private sealed class Wide : TorchSharp.torch.nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Conv2d conv = nn.Conv2d(3, 4, 3, padding: 1);
        private readonly TorchSharp.Modules.Linear fc = nn.Linear(4, 5);
        private readonly TorchSharp.Modules.Sequential extra = nn.Sequential([.. Enumerable.Range(0, 6).Select(i => ((string, nn.Module<Tensor, Tensor>))(i.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.Linear(2, 2)))]);

        public Wide()
            : base("wide") => RegisterComponents();

        public override Tensor forward(Tensor input) => fc.call(conv.call(input).mean([2, 3]));
    }

    /// <summary>The file has fc; this module lacks it (and has nothing the file lacks).</summary>
    private sealed class TinyNetWithoutFc : TorchSharp.torch.nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Conv2d conv = nn.Conv2d(3, 4, 3, padding: 1);
        private readonly TorchSharp.Modules.BatchNorm2d bn = nn.BatchNorm2d(4);
        private readonly TorchSharp.Modules.Linear fc = nn.Linear(4, 5);

        public TinyNetWithoutFc()
            : base("partial")
        {
            RegisterComponents();
            UnregisterFcBias();
        }

        public override Tensor forward(Tensor input) => bn.call(conv.call(input));

        public string LoadMessage() =>
            Assert.Throws<PyTorchFormatException>(() => PyTorchCheckpoint.LoadInto(this, Fixture("tiny_net.pth"))).Message;

        private void UnregisterFcBias() => fc.bias = null;
    }
}
