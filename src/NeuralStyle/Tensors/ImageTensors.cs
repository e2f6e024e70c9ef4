using NeuralStyle.Imaging;
using NeuralStyle.Transfer;
using static TorchSharp.torch;

namespace NeuralStyle.Tensors;

/// <summary>Moves images between <see cref="RgbImage"/> (H x W x 3, 0..255) and network tensors (1 x 3 x H x W).</summary>
public static class ImageTensors
{
    /// <summary>The seed's vgg.preprocess: the image minus the mean pixel, as a 1 x 3 x H x W float32 tensor.</summary>
    public static Tensor Preprocess(RgbImage image, PixelConvention pixels)
    {
        using Tensor hwc = tensor(image.Pixels, [image.Height, image.Width, 3], ScalarType.Float32);
        using Tensor mean = tensor(pixels.Mean, [1, 1, 3], ScalarType.Float32);
        using Tensor centred = hwc - mean;
        return centred.permute(2, 0, 1).unsqueeze(0).contiguous();
    }

    /// <summary>The seed's vgg.unprocess: adds the mean pixel back; values are not clipped (writers clip).</summary>
    public static RgbImage Unprocess(Tensor image, PixelConvention pixels)
    {
        using var scope = NewDisposeScope();
        Tensor hwc = image.detach().squeeze(0).permute(1, 2, 0).contiguous().to(ScalarType.Float32).cpu();
        Tensor withMean = hwc + tensor(pixels.Mean, [1, 1, 3], ScalarType.Float32);
        float[] data = withMean.data<float>().ToArray();
        return new RgbImage((int)hwc.shape[1], (int)hwc.shape[0], data);
    }
}
