using NeuralStyle.Imaging;
using NeuralStyle.Tensors;
using NeuralStyle.Transfer;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.ImageNet;

/// <summary>Standard classification preprocessing, as torchvision's Resize(shorter side), CenterCrop, ToTensor and Normalize on a PIL image.</summary>
/// <remarks>
/// The resize is PIL's bilinear filter (<see cref="ImageResizer"/>: antialiased, horizontal pass first) with each pass
/// rounded to 8 bits as PIL does for RGB images, so the crop matches torchvision's to within one level where PIL's
/// fixed-point weights round the other way.
/// </remarks>
public static class ClassificationInput
{
    /// <summary>The model input for an RGB 0..255 image: 1 x C x crop x crop.</summary>
    public static Tensor Prepare(RgbImage image, ImagePreprocessing preprocessing)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(preprocessing);
        RgbImage source = preprocessing.Grayscale ? Luma(image) : image;
        RgbImage cropped = CenterCrop(ResizeShorterSide(source, preprocessing.ResizeShorterSide), preprocessing.Crop);
        float[] mean = Three(preprocessing.Mean), std = Three(preprocessing.Std);
        Tensor x = ImageTensors.Preprocess(cropped, new PixelConvention(mean, std, preprocessing.Scale, preprocessing.Bgr));
        if (!preprocessing.Grayscale)
        {
            return x;
        }

        using (x)
        {
            return x.narrow(1, 0, 1).contiguous();
        }
    }

    /// <summary>torchvision's Resize(size) for an int size: the shorter side becomes <paramref name="size"/>, the longer int(size * long / short).</summary>
    public static RgbImage ResizeShorterSide(RgbImage image, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        (int shorter, int longer) = image.Width <= image.Height ? (image.Width, image.Height) : (image.Height, image.Width);
        // Python: int(requested * long / short), the product exact, then a float division, then truncation.
        int newLonger = (int)((double)((long)size * longer) / shorter);
        (int width, int height) = image.Width <= image.Height ? (size, newLonger) : (newLonger, size);
        RgbImage horizontal = width == image.Width ? image : Rounded(ImageResizer.Resize(image, width, image.Height));
        return height == image.Height ? horizontal : Rounded(ImageResizer.Resize(horizontal, width, height));
    }

    /// <summary>torchvision's CenterCrop: offsets int(round((side - crop) / 2)) with Python's half-to-even rounding; zero padding where the image is smaller.</summary>
    public static RgbImage CenterCrop(RgbImage image, int crop)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(crop);
        int top = (int)Math.Round((image.Height - crop) / 2.0, MidpointRounding.ToEven);
        int left = (int)Math.Round((image.Width - crop) / 2.0, MidpointRounding.ToEven);
        var result = new RgbImage(crop, crop);
        for (int y = 0; y < crop; y++)
        {
            int sy = y + top;
            if (sy < 0 || sy >= image.Height)
            {
                continue;
            }

            for (int x = 0; x < crop; x++)
            {
                int sx = x + left;
                if (sx >= 0 && sx < image.Width)
                {
                    for (int c = 0; c < RgbImage.Channels; c++)
                    {
                        result[x, y, c] = image[sx, sy, c];
                    }
                }
            }
        }

        return result;
    }

    // PIL stores each pass of an RGB resize in 8 bits.
    private static RgbImage Rounded(RgbImage image) => RgbImage.FromBytes(image.Width, image.Height, image.ToBytesClipped());

    // PIL's convert("L"): ITU-R 601-2 luma, rounded to 8 bits, in all three channels.
    private static RgbImage Luma(RgbImage image)
    {
        float[] pixels = new float[image.Pixels.Length];
        for (int i = 0; i < pixels.Length; i += 3)
        {
            float l = MathF.Round((0.299f * image.Pixels[i]) + (0.587f * image.Pixels[i + 1]) + (0.114f * image.Pixels[i + 2]));
            pixels[i] = pixels[i + 1] = pixels[i + 2] = Math.Clamp(l, 0, 255);
        }

        return new RgbImage(image.Width, image.Height, pixels);
    }

    private static float[] Three(float[] values) => values.Length == 1 ? [values[0], values[0], values[0]] : values;
}
