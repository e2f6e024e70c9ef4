using System.Numerics;

namespace NeuralStyle.Imaging;

/// <summary>Resamples <see cref="RgbImage"/>s with PIL's "bilinear" filter (what <c>scipy.misc.imresize</c> used).</summary>
/// <remarks>
/// PIL's bilinear is a separable triangle filter whose support widens by the downscale factor, so
/// downscaling averages over all covered pixels (antialiasing) instead of sampling four neighbours.
/// This re-implements PIL 9's <c>precompute_coeffs</c> in float: results agree with PIL on 8-bit images
/// to within rounding, without PIL's 8-bit rounding of the intermediate and of the result.
/// </remarks>
public static class ImageResizer
{
    // PIL's triangle filter has support 1 (in source pixels) before scaling.
    private const double FilterSupport = 1.0;

    /// <summary>Resamples to <paramref name="width"/> × <paramref name="height"/>; returns <paramref name="image"/> itself if the size already matches.</summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        _ = RgbImage.PixelCount(width, height);
        if (width == image.Width && height == image.Height)
        {
            return image;
        }

        // Same order as PIL (horizontal, then vertical); each pass is skipped when its axis is unchanged,
        // which PIL also does and which is exact because the filter is the identity at scale 1.
        var result = image;
        if (width != image.Width)
        {
            result = ResampleHorizontal(result, width);
        }

        if (height != image.Height)
        {
            result = ResampleVertical(result, height);
        }

        return result;
    }

    /// <summary>Resizes to <paramref name="width"/> keeping the aspect ratio the way the original program did: height = floor(H / W * width), at least 1.</summary>
    public static RgbImage ResizeToWidth(RgbImage image, int width)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Resize(image, width, HeightForWidth(image.Width, image.Height, width));
    }

    /// <summary>Scales both sides by <paramref name="factor"/>, truncating like <c>scipy.misc.imresize(img, float)</c> (each side at least 1).</summary>
    public static RgbImage ResizeByFactor(RgbImage image, double factor)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!(factor > 0) || double.IsInfinity(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The scale factor must be a positive finite number.");
        }

        var (width, height) = SizeForFactor(image.Width, image.Height, factor);
        return Resize(image, width, height);
    }

    /// <summary>The height <see cref="ResizeToWidth"/> produces: floor(height / width * targetWidth) evaluated in double as in Python, at least 1.</summary>
    public static int HeightForWidth(int width, int height, int targetWidth)
    {
        _ = RgbImage.PixelCount(width, height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetWidth);
        // Same operation order as the seed's float(shape[0]) / shape[1] * width, so results agree bit for bit.
        var h = Math.Floor((double)height / width * targetWidth);
        return (int)Math.Clamp(h, 1, int.MaxValue);
    }

    /// <summary>The size <see cref="ResizeByFactor"/> produces: each side times <paramref name="factor"/>, truncated, at least 1.</summary>
    public static (int Width, int Height) SizeForFactor(int width, int height, double factor)
    {
        _ = RgbImage.PixelCount(width, height);
        // scipy: tuple((array(im.size) * size).astype(int)), i.e. truncation toward zero.
        var w = Math.Clamp(Math.Truncate(width * factor), 1, int.MaxValue);
        var h = Math.Clamp(Math.Truncate(height * factor), 1, int.MaxValue);
        return ((int)w, (int)h);
    }

    private static RgbImage ResampleHorizontal(RgbImage source, int width)
    {
        var kernel = Kernel.Create(source.Width, width);
        var height = source.Height;
        var inRow = source.Width * 3;
        var outRow = width * 3;
        var src = source.Pixels;
        var dst = new float[RgbImage.PixelCount(width, height)];
        Parallel.For(0, height, y =>
        {
            var inBase = y * inRow;
            var outBase = y * outRow;
            for (var x = 0; x < width; x++)
            {
                var start = kernel.Starts[x];
                var count = kernel.Counts[x];
                var w = x * kernel.Stride;
                var s = inBase + (start * 3);
                float r = 0, g = 0, b = 0;
                for (var k = 0; k < count; k++, s += 3)
                {
                    var weight = kernel.Weights[w + k];
                    r += weight * src[s];
                    g += weight * src[s + 1];
                    b += weight * src[s + 2];
                }

                var o = outBase + (x * 3);
                dst[o] = r;
                dst[o + 1] = g;
                dst[o + 2] = b;
            }
        });
        return new RgbImage(width, height, dst);
    }

    private static RgbImage ResampleVertical(RgbImage source, int height)
    {
        var kernel = Kernel.Create(source.Height, height);
        var width = source.Width;
        var row = width * 3;
        var src = source.Pixels;
        var dst = new float[RgbImage.PixelCount(width, height)];
        Parallel.For(0, height, y =>
        {
            // Output row = weighted sum of whole input rows: contiguous, so it vectorises cleanly.
            var output = dst.AsSpan(y * row, row);
            var start = kernel.Starts[y];
            var count = kernel.Counts[y];
            var w = y * kernel.Stride;
            for (var k = 0; k < count; k++)
            {
                AddScaled(output, src.AsSpan((start + k) * row, row), kernel.Weights[w + k]);
            }
        });
        return new RgbImage(width, height, dst);
    }

    private static void AddScaled(Span<float> accumulator, ReadOnlySpan<float> values, float weight)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && accumulator.Length >= Vector<float>.Count)
        {
            var w = new Vector<float>(weight);
            var lastVector = accumulator.Length - Vector<float>.Count;
            for (; i <= lastVector; i += Vector<float>.Count)
            {
                var acc = new Vector<float>(accumulator[i..]);
                (acc + (w * new Vector<float>(values[i..]))).CopyTo(accumulator[i..]);
            }
        }

        for (; i < accumulator.Length; i++)
        {
            accumulator[i] += weight * values[i];
        }
    }

    /// <summary>Per output position: first input index, tap count and normalised weights (PIL's precompute_coeffs).</summary>
    private sealed class Kernel
    {
        private Kernel(int[] starts, int[] counts, float[] weights, int stride)
        {
            Starts = starts;
            Counts = counts;
            Weights = weights;
            Stride = stride;
        }

        public int[] Starts { get; }

        public int[] Counts { get; }

        public float[] Weights { get; }

        public int Stride { get; }

        public static Kernel Create(int inSize, int outSize)
        {
            var scale = (double)inSize / outSize;
            var filterScale = Math.Max(scale, 1.0);
            var support = FilterSupport * filterScale;
            var stride = ((int)Math.Ceiling(support) * 2) + 1;
            var starts = new int[outSize];
            var counts = new int[outSize];
            var weights = new float[outSize * stride];
            var taps = new double[stride];
            var invFilterScale = 1.0 / filterScale;

            for (var xx = 0; xx < outSize; xx++)
            {
                // Kept in double and with PIL's exact rounding of the window ends ((int)(v + 0.5) truncates
                // toward zero like C) so that the chosen taps match PIL's at every position.
                var center = (xx + 0.5) * scale;
                var xmin = Math.Max((int)(center - support + 0.5), 0);
                var xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
                var total = 0.0;
                for (var x = 0; x < xmax; x++)
                {
                    var t = Math.Abs((x + xmin - center + 0.5) * invFilterScale);
                    taps[x] = t < 1.0 ? 1.0 - t : 0.0;
                    total += taps[x];
                }

                for (var x = 0; x < xmax; x++)
                {
                    weights[(xx * stride) + x] = (float)(total != 0.0 ? taps[x] / total : taps[x]);
                }

                starts[xx] = xmin;
                counts[xx] = Math.Max(xmax, 0);
            }

            return new Kernel(starts, counts, weights, stride);
        }
    }
}
