using NeuralStyle.Imaging;
using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>
/// Total variation of an image's colour alone: the seed's TV term on its Cb and Cr channels (BT.601, 0..255 pixel
/// units), whatever the network's input convention.
/// </summary>
/// <remarks>
/// Networks other than VGG (the bundled ResNet-18) leave per-pixel colour speckle that the plain TV term, which also
/// smooths luminance and with it the style's texture, removes only at weights that blur the picture. Measured with
/// an independent prototype (issue 12): a chroma-only term took colour noise from 2.1 to 0.6 times the inputs' and
/// kept the layout. Luminance, where the style's texture lives, is left alone.
/// </remarks>
public static class ChromaTotalVariation
{
    // Rows of the RGB -> (Cb, Cr) matrix of ColorTransforms.ToYCbCr (JFIF, BT.601), read off its unit vectors with the
    // offset of 128 removed (it drops out of differences anyway).
    private static readonly float[] CbCr = ChromaMatrix();

    private static float[] ChromaMatrix()
    {
        var columns = new[] { ColorTransforms.ToYCbCr(1, 0, 0), ColorTransforms.ToYCbCr(0, 1, 0), ColorTransforms.ToYCbCr(0, 0, 1) };
        return [.. columns.Select(c => c.Cb - 128f), .. columns.Select(c => c.Cr - 128f)];
    }

    /// <summary>The term for a 1 x 3 x H x W network input <paramref name="image"/> in the convention <paramref name="pixels"/>, before its weight.</summary>
    public static Tensor Of(Tensor image, PixelConvention pixels)
    {
        using var scope = NewDisposeScope();
        Tensor rgb = pixels.Bgr ? image.flip(1) : image;
        // Back to RGB 0..255: value = (input * std + mean) / scale; the mean is a constant and drops out of differences.
        rgb = rgb * tensor(pixels.Std.Select(s => s / pixels.Scale).ToArray(), [1, 3, 1, 1], image.dtype, image.device);
        Tensor chroma = einsum("ck,nkhw->nchw", tensor(CbCr, [2, 3], image.dtype, image.device), rgb);
        return GatysLosses.TotalVariation(chroma).MoveToOuterDisposeScope();
    }
}
