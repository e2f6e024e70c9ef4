using NeuralStyle.Transfer.Losses;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

public class GatysLossesTests
{
    [Fact]
    public void GramDividesByChannelsTimesPixels()
    {
        // Channel 0 = [1, 2], channel 1 = [3, 4] over a 1x2 image: F F^T = [[5, 11], [11, 25]], C*H*W = 4.
        using Tensor features = tensor(new float[] { 1, 2, 3, 4 }, [1, 2, 1, 2]);
        using Tensor gram = GatysLosses.Gram(features);
        Assert.Equal(new float[] { 1.25f, 2.75f, 2.75f, 6.25f }, gram.data<float>().ToArray());
    }

    [Fact]
    public void MeanSquaredErrorIsTwiceL2LossOverSize()
    {
        using Tensor a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using Tensor b = tensor(new float[] { 0, 0, 3, 8 }, [2, 2]);
        // tf: 2 * l2_loss(a - b) / size = 2 * ((1 + 4 + 0 + 16) / 2) / 4.
        using Tensor mse = GatysLosses.MeanSquaredError(a, b);
        Assert.Equal(21f / 4, mse.item<float>(), 6);
    }

    [Fact]
    public void TotalVariationAveragesEachDirectionSeparately()
    {
        // Only channel 0 is non-zero: [[0, 1], [2, 3]]. Vertical differences (2, 2) over 1*3*1*2 = 6 values,
        // horizontal differences (1, 1) over 6 values: 8/6 + 2/6.
        var pixels = new float[12];
        pixels[0] = 0;
        pixels[1] = 1;
        pixels[2] = 2;
        pixels[3] = 3;
        using Tensor image = tensor(pixels, [1, 3, 2, 2]);
        using Tensor tv = GatysLosses.TotalVariation(image);
        Assert.Equal(10f / 6, tv.item<float>(), 5);
    }

    [Fact]
    public void TotalVariationOfNonSquareImageUsesEachAxisOwnCount()
    {
        // 1 x 1 x 2 x 3 image (a single channel is enough for the formula): rows [0 0 0], [3 3 3].
        using Tensor image = tensor(new float[] { 0, 0, 0, 3, 3, 3 }, [1, 1, 2, 3]);
        using Tensor tv = GatysLosses.TotalVariation(image);
        // dy: three differences of 3 -> mean 9; dx: four zeros -> 0.
        Assert.Equal(9f, tv.item<float>(), 5);
    }
}
