using NeuralStyle.Imaging;
using NeuralStyle.Transfer;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

/// <summary>A backbone layer that is not floating-point is refused before any loss reaches LibTorch's matrix product.</summary>
public class FeatureTypeTests
{
    // A network whose one layer compares the input with zero: Bool values, as an ONNX Greater node gives.
    private sealed class ComparingNetwork : IFeatureNetwork
    {
        public string Description => "comparing";

        public long WeightBytes => 0;

        public IReadOnlyList<string> LayerNames => ["greater"];

        public PixelConvention Pixels { get; } = new(0, 0, 0);

        public BackboneDefaults Defaults { get; } = new(["greater"], ["greater"], FeatureSmoothing.None);

        public IReadOnlyDictionary<string, Tensor> Extract(Tensor input, IReadOnlyCollection<string> layers) =>
            new Dictionary<string, Tensor> { ["greater"] = input > 0 };
    }

    [Fact]
    public void A_bool_layer_is_an_error_naming_it_not_a_native_abort()
    {
        // Before: torch.matmul on Bool features terminated the process (exit 134), taking the test host with it.
        var image = new RgbImage(8, 8, [.. Enumerable.Range(0, 8 * 8 * 3).Select(i => (float)(i % 255))]);
        var transfer = new StyleTransfer(new ComparingNetwork(), new StyleTransferSettings { Iterations = 2, Seed = 1 });
        var e = Assert.Throws<ArgumentException>(() => transfer.Stylize(image, [image]).ToList());
        Assert.Equal("layer 'greater' gives Bool values, not features a loss can compare: choose another layer (see `neural-style layers`)", e.Message);
    }
}
