using NeuralStyle.Transfer.Parameterizations;
using static TorchSharp.torch;

namespace NeuralStyle.Transfer;

/// <summary>Predicts a run's peak resident memory before it starts, so that a run that cannot fit is refused early.</summary>
/// <remarks>
/// Activation sizes grow linearly with pixels, so the network is run once without gradients on a small copy of the
/// input (about 64k pixels) and the element counts are scaled up. The coefficients were fitted to measured peaks
/// (VmHWM) of runs on this machine; see README, "Memory". The estimate errs on the high side. Only sizes are needed:
/// it runs before any full-size image or tensor exists, and any size is safe to ask about (absurd ones saturate at
/// <see cref="long.MaxValue"/> instead of overflowing).
/// </remarks>
public static class MemoryEstimator
{
    /// <summary>The .NET runtime, LibTorch, SkiaSharp and the images before the optimisation (fitted: 360 MiB).</summary>
    public const long BaselineBytes = 360L << 20;

    /// <summary>Bytes per activation element during forward and backward: the saved activation, its gradient and LibTorch's scratch (fitted).</summary>
    /// <remarks>
    /// Fitted to the bundled ResNet-18 at 256, 512 and 1000 px wide (measured peaks 556, 809 and 1610 MiB): the
    /// estimate is within 5% there (1% low at 512, 5% high at 1000); for small networks it is high, since the
    /// baseline dominates.
    /// </remarks>
    public const double BytesPerActivationElement = 8.5;

    /// <summary>Bytes per activation element of a forward pass without gradients that keeps every output until it ends (style targets, layer listings).</summary>
    /// <remarks>
    /// The float32 output itself, plus LibTorch's scratch and the outputs of unnamed operations between named layers.
    /// Fitted to the slope of measured peaks (VmHWM) of the tiny VGG computing the targets of styles of 1.3 and 5.2
    /// megapixels: 4.5 bytes per element there. Backbones that free results no later layer reads cost less: the
    /// bundled ResNet-18 measured about 1.8 (styles of 1 and 2.4 megapixels), so the estimate is high for it.
    /// </remarks>
    public const double BytesPerForwardElement = 5;

    // The probe keeps the aspect with about this many pixels, and no side shorter than ShortestProbeSide (or the
    // image's own side, if shorter): networks that downsample 32-fold need some height left at their last stage.
    private const double ProbePixels = 65536;
    private const int ShortestProbeSide = 64;

    /// <summary>Bytes of a <paramref name="width"/> x <paramref name="height"/> float RGB image (an <c>RgbImage</c> or the network's input).</summary>
    public static long ImageBytes(int width, int height) => Saturate(12.0 * width * height);

    /// <summary>Estimates the peak for optimising a <paramref name="width"/> x <paramref name="height"/> image.</summary>
    /// <param name="network">The backbone, already loaded.</param>
    /// <param name="layersInUse">The layers the losses read (evaluation stops after the deepest).</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="weightBytes">Memory the loaded weights take.</param>
    /// <param name="imageCopies">Image-sized tensors the optimiser keeps (Adam: 2 moments; L-BFGS: 2 per history pair).</param>
    /// <param name="variableElements">
    /// Elements of the optimised variable when it is not the image itself (<see cref="VariableElements"/>: Fourier
    /// coefficients, pyramid levels, decorrelated colour coordinates), else 0.
    /// </param>
    /// <param name="transformed">The network sees a randomly transformed copy of the image (<see cref="Robustness.TransformRobustness"/>).</param>
    /// <param name="precision">The backbone's arithmetic, resolved (float32 or bfloat16; see <see cref="BackboneBytes"/>).</param>
    public static long EstimateBytes(IFeatureNetwork network, IReadOnlyCollection<string> layersInUse, int width, int height, long weightBytes, int imageCopies, double variableElements = 0, bool transformed = false, ComputePrecision precision = ComputePrecision.Float32)
    {
        (double activations, double tapped) = ActivationElements(network, layersInUse, width, height);
        return Saturate(BaselineBytes + BackboneBytes(activations, tapped, weightBytes, network.BFloat16WeightBytes, precision) + OptimisedBytes(width, height, imageCopies, variableElements, transformed));
    }

    /// <summary>Bytes per activation element during forward and backward in bfloat16 (fitted; see <see cref="BackboneBytes"/>).</summary>
    /// <remarks>
    /// Not half of <see cref="BytesPerActivationElement"/>: the bundled ResNet-18's measured peaks (VmHWM, 2 Adam
    /// iterations, 512 and 1000 px wide) fell by 25 and 102 MiB in bf16, where half would have been 120 and 460 MiB of
    /// activations. With the tapped features' float32 copies and the weights' bf16 copies counted apart, 5.65 bytes an
    /// element fits the larger run's saving exactly and 3.9 the smaller's; 6 keeps the estimated saving below both.
    /// </remarks>
    public const double BFloat16BytesPerActivationElement = 6;

    /// <summary>The backbone's share of an optimisation's peak: its weights and the activations of a forward and backward pass.</summary>
    /// <param name="activations">Elements of every value evaluated, at the full size.</param>
    /// <param name="tapped">Elements of the values the losses read, at the full size.</param>
    /// <param name="weightBytes">Memory the loaded weights take.</param>
    /// <param name="bfloat16CopyBytes">Memory the weights' bfloat16 copies take (<see cref="IFeatureNetwork.BFloat16WeightBytes"/>).</param>
    /// <param name="precision">Float32, or bfloat16 (auto must be resolved first).</param>
    /// <remarks>
    /// In bfloat16 the activations, their gradients and the kernels' scratch cost
    /// <see cref="BFloat16BytesPerActivationElement"/> an element; each tapped feature adds its float32 copy and that
    /// copy's gradient (8 bytes an element), and the weights their bfloat16 copies. The image, its gradient and the
    /// optimiser's state stay float32. On small images the copies outweigh the saving: bf16's estimate is then higher.
    /// </remarks>
    public static double BackboneBytes(double activations, double tapped, long weightBytes, long bfloat16CopyBytes, ComputePrecision precision) => precision switch
    {
        ComputePrecision.Float32 => weightBytes + (activations * BytesPerActivationElement),
        ComputePrecision.BFloat16 => weightBytes + (double)bfloat16CopyBytes + (activations * BFloat16BytesPerActivationElement) + (tapped * 8),
        _ => throw new ArgumentException("resolve the precision first (auto is a request, not an arithmetic)", nameof(precision)),
    };

    /// <summary>The image-sized part of <see cref="EstimateBytes"/>: the image, the optimiser's variable and state, and the transformed copy.</summary>
    /// <remarks>
    /// Pixels: the image is the variable; it, its gradient and two more image-sized tensors (the network's input,
    /// the best image) plus the optimiser's copies. A variable of its own (V elements) keeps those four image-sized
    /// tensors (the rendered image and its gradient in place of the variable's), and adds the variable, its
    /// gradient, the intermediate that renders it (the scaled spectrum, the upsampled levels) and the optimiser's
    /// copies, all of the variable's size instead of the image's. Transforms add the resampled copy the network
    /// sees and its gradient, the sampling grid (two floats a pixel) and the content image kept to be transformed
    /// alike at each iteration.
    /// </remarks>
    public static double OptimisedBytes(int width, int height, int imageCopies, double variableElements, bool transformed)
    {
        double pixels = (double)width * height;
        double image = 12.0 * pixels;
        double bytes = variableElements > 0
            ? (4 * image) + (4.0 * variableElements * (3 + imageCopies))
            : image * (4 + imageCopies);
        return bytes + (transformed ? (3 * image) + (8 * pixels) : 0);
    }

    /// <summary>Elements of the variable a run optimises when it is not the image itself; 0 for the seed's pixels.</summary>
    /// <remarks>Fourier: real and imaginary parts of 3 x H x (W/2+1) coefficients. Pyramid: every level. Pixels in decorrelated colours: one per channel and pixel.</remarks>
    public static double VariableElements(ImageParameterization parameterization, bool decorrelateColors, int width, int height) => parameterization switch
    {
        ImageParameterization.Fourier => 3.0 * height * ((width / 2) + 1) * 2,
        ImageParameterization.Pyramid => PyramidElements(width, height),
        _ => decorrelateColors ? 3.0 * width * height : 0,
    };

    // PyramidParameters.Levels, counted in double so that any size is safe to ask about.
    private static double PyramidElements(long width, long height)
    {
        double elements = 3.0 * width * height;
        foreach ((long h, long w) in PyramidParameters.Levels(height, width).Skip(1))
        {
            elements += 3.0 * w * h;
        }

        return elements;
    }

    /// <summary>Estimates the peak of optimising a <paramref name="width"/> x <paramref name="height"/> image block by block (see <see cref="Tiling.TiledLosses"/>).</summary>
    /// <param name="network">The backbone, already loaded.</param>
    /// <param name="settings">The run's settings (layers, optimiser, parameterisation, transforms, smoothing, precision resolved).</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="block">The largest block of the grid, margins included.</param>
    /// <param name="smoothing">The feature smoothing in force (SWAG's block sums are float64).</param>
    /// <remarks>
    /// One block's forward and backward pass (as <see cref="EstimateBytes"/> at the block's size), plus what stays at
    /// full size: the image-sized tensors of the untiled run, the detached network input and the gradient assembled from
    /// the blocks (two more image-sized tensors), and the content targets (the content layers' features, assembled from
    /// the blocks: twice, while the pieces are joined; once more with transforms, whose targets are made anew at each
    /// iteration while the previous ones are freed). With SWAG each block's tapped features are also held in float64
    /// with their products (24 bytes an element).
    /// </remarks>
    public static long EstimateTiledBytes(IFeatureNetwork network, StyleTransferSettings settings, int width, int height, (int Width, int Height) block, FeatureSmoothing smoothing)
    {
        IReadOnlyList<string> layers = settings.LayersInUse(network.Defaults);
        (double activations, double tapped) = ActivationElements(network, layers, block.Width, block.Height);
        double backbone = BackboneBytes(activations, tapped, network.WeightBytes, network.BFloat16WeightBytes, settings.Precision);
        double variable = VariableElements(settings.Parameterization, settings.DecorrelateColors, width, height);
        bool transformed = !settings.Robustness.IsNone;
        double optimised = OptimisedBytes(width, height, settings.OptimizerImageCopies, variable, transformed) + (2 * 12.0 * width * height);
        string[] contentLayers = [.. settings.ContentLayerWeights(network.Defaults).Select(l => l.Layer)];
        double contentTargets = ActivationElements(network, contentLayers, width, height).Tapped * 4 * (transformed ? 3 : 2);
        double swag = smoothing == FeatureSmoothing.Swag ? tapped * 24 : 0;
        return Saturate(BaselineBytes + TiledSlackBytes + backbone + optimised + contentTargets + swag);
    }

    /// <summary>What a tiled run holds beyond its parts' sum (fitted: 384 MiB).</summary>
    /// <remarks>
    /// Measured peaks (VmHWM) of tiled runs exceeded the sum of the parts by a nearly constant amount: VGG-19's shapes at
    /// 512 px in 256 px tiles by 303 MiB and at 1024 px in 768 px tiles by 279 MiB, the bundled ResNet-18 at 1024 px in
    /// 512 px tiles by 54 MiB. Blocks of different sizes (inner, edge, corner) are run one after the other, forward
    /// without and then with gradients, and the allocator does not return every freed block to the system before the
    /// next one takes memory; the constant keeps the estimate above the peak for both networks.
    /// </remarks>
    public const long TiledSlackBytes = 384L << 20;

    /// <summary>Estimates the peak of one forward pass without gradients up to the deepest of <paramref name="layers"/>, every output kept.</summary>
    /// <param name="network">The backbone, already loaded.</param>
    /// <param name="layers">The layers wanted (evaluation stops after the deepest).</param>
    /// <param name="width">Input width.</param>
    /// <param name="height">Input height.</param>
    /// <param name="weightBytes">Memory the loaded weights take.</param>
    public static long EstimateForwardBytes(IFeatureNetwork network, IReadOnlyCollection<string> layers, int width, int height, long weightBytes)
    {
        double activations = ActivationElements(network, layers, width, height).All;
        // The image and the network's input made from it.
        double image = 12.0 * width * height;
        return Saturate(BaselineBytes + (double)weightBytes + (activations * BytesPerForwardElement) + (2 * image));
    }

    /// <summary>Memory the operating system says is available now (MemAvailable), or null where it cannot tell.</summary>
    public static long? AvailableBytes()
    {
        try
        {
            string? line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["MemAvailable:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A byte count computed in double, as a long; beyond <see cref="long.MaxValue"/> it stays there.</summary>
    public static long Saturate(double bytes) => bytes >= long.MaxValue ? long.MaxValue : (long)Math.Ceiling(bytes);

    /// <summary>The size the network is run at for an estimate at <paramref name="width"/> x <paramref name="height"/>.</summary>
    internal static (int Width, int Height) ProbeSize(int width, int height)
    {
        double scale = Math.Min(1.0, Math.Sqrt(ProbePixels / ((double)width * height)));
        int w = Math.Max((int)(width * scale), Math.Min(width, ShortestProbeSide));
        int h = Math.Max((int)(height * scale), Math.Min(height, ShortestProbeSide));
        // A long thin image: the short side was held up, so shorten the long one to keep the probe small.
        if (w > h)
        {
            w = Math.Min(w, Math.Max(h, (int)(ProbePixels / h)));
        }
        else
        {
            h = Math.Min(h, Math.Max(w, (int)(ProbePixels / w)));
        }

        return (w, h);
    }

    // Every value evaluated up to the deepest layer wanted, and the wanted ones, as element counts at the probe size
    // scaled to the full size.
    private static (double All, double Tapped) ActivationElements(IFeatureNetwork network, IReadOnlyCollection<string> layers, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        (int w, int h) = ProbeSize(width, height);
        int deepest = layers.Max(l => IndexOf(network, l));
        string[] evaluated = [.. network.LayerNames.Take(deepest + 1)];
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using Tensor input = zeros(1, 3, h, w);
        IReadOnlyDictionary<string, Tensor> values = network.Extract(input, evaluated);
        var wanted = layers.Select(network.CanonicalName).ToHashSet(StringComparer.Ordinal);
        double all = values.Values.Sum(t => (double)t.numel());
        double tapped = values.Where(kv => wanted.Contains(kv.Key)).Sum(kv => (double)kv.Value.numel());
        double scale = (double)width * height / ((double)w * h);
        return (all * scale, tapped * scale);
    }

    private static int IndexOf(IFeatureNetwork network, string layer)
    {
        int index = network.LayerNames.ToList().IndexOf(network.CanonicalName(layer));
        return index >= 0 ? index : network.LayerNames.Count - 1;
    }
}
