using static TorchSharp.torch;

namespace NeuralStyle.Transfer;

/// <summary>Predicts a run's peak resident memory before it starts, so that a run that cannot fit is refused early.</summary>
/// <remarks>
/// Activation sizes grow linearly with pixels, so the network is run once without gradients on a small copy of the
/// input (at most 64k pixels) and the element counts are scaled up. The coefficients were fitted to measured peaks
/// (VmHWM) of runs on this machine; see README, "Memory". The estimate errs on the high side.
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

    /// <summary>Estimates the peak for optimising a <paramref name="width"/> x <paramref name="height"/> image.</summary>
    /// <param name="network">The backbone, already loaded.</param>
    /// <param name="layersInUse">The layers the losses read (evaluation stops after the deepest).</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="weightBytes">Memory the loaded weights take.</param>
    /// <param name="imageCopies">Image-sized tensors the optimiser keeps (Adam: 2 moments; L-BFGS: 2 per history pair).</param>
    public static long EstimateBytes(IFeatureNetwork network, IReadOnlyCollection<string> layersInUse, int width, int height, long weightBytes, int imageCopies)
    {
        double scale = Math.Min(1.0, Math.Sqrt(65536.0 / ((double)width * height)));
        int w = Math.Max(8, (int)(width * scale)), h = Math.Max(8, (int)(height * scale));
        double activationElements = ActivationElements(network, layersInUse, w, h) * ((double)width * height / ((double)w * h));
        long image = 3L * width * height * 4;
        return BaselineBytes + weightBytes + (long)(activationElements * BytesPerActivationElement) + (image * (4 + imageCopies));
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

    // Every value evaluated up to the deepest layer in use, as element counts at the small size.
    private static double ActivationElements(IFeatureNetwork network, IReadOnlyCollection<string> layersInUse, int width, int height)
    {
        int deepest = layersInUse.Max(l => IndexOf(network, l));
        string[] evaluated = [.. network.LayerNames.Take(deepest + 1)];
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using Tensor input = zeros(1, 3, height, width);
        return network.Extract(input, evaluated).Values.Sum(t => (double)t.numel());
    }

    private static int IndexOf(IFeatureNetwork network, string layer)
    {
        int index = network.LayerNames.ToList().IndexOf(network.CanonicalName(layer));
        return index >= 0 ? index : network.LayerNames.Count - 1;
    }
}
