using NeuralStyle.Imaging;
using NeuralStyle.Transfer;
using static TorchSharp.torch;

namespace NeuralStyle.Tensors;

/// <summary>Moves images between <see cref="RgbImage"/> (H x W x 3, 0..255) and network tensors (1 x 3 x H x W).</summary>
public static class ImageTensors
{
    /// <summary>
    /// The network's input for <paramref name="image"/>; for a mean-only convention this is exactly the seed's
    /// vgg.preprocess (image minus the mean pixel).
    /// </summary>
    public static Tensor Preprocess(RgbImage image, PixelConvention pixels)
    {
        using var scope = NewDisposeScope();
        Tensor hwc = tensor(image.Pixels, [image.Height, image.Width, 3], ScalarType.Float32);
        if (pixels.Scale != 1)
        {
            hwc = hwc * pixels.Scale;
        }

        hwc = (hwc - tensor(pixels.Mean, [1, 1, 3], ScalarType.Float32)) / tensor(pixels.Std, [1, 1, 3], ScalarType.Float32);
        Tensor chw = hwc.permute(2, 0, 1);
        if (pixels.Bgr)
        {
            chw = chw.flip(0);
        }

        return chw.unsqueeze(0).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The inverse of <see cref="Preprocess"/> (the seed's vgg.unprocess); values are not clipped (writers clip).</summary>
    public static RgbImage Unprocess(Tensor image, PixelConvention pixels)
    {
        using var scope = NewDisposeScope();
        Tensor chw = image.detach().squeeze(0).to(ScalarType.Float32).cpu();
        if (pixels.Bgr)
        {
            chw = chw.flip(0);
        }

        Tensor hwc = chw.permute(1, 2, 0);
        hwc = (hwc * tensor(pixels.Std, [1, 1, 3], ScalarType.Float32)) + tensor(pixels.Mean, [1, 1, 3], ScalarType.Float32);
        if (pixels.Scale != 1)
        {
            hwc = hwc / pixels.Scale;
        }

        float[] data = hwc.contiguous().data<float>().ToArray();
        return new RgbImage((int)chw.shape[2], (int)chw.shape[1], data);
    }
}
