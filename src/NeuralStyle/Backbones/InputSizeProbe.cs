using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.Onnx;
using static TorchSharp.torch;

namespace NeuralStyle.Backbones;

/// <summary>The smallest square input a backbone can run up to the layers in use, found by dry runs on tiny inputs.</summary>
/// <remarks>
/// Pooling without padding (SqueezeNet's, GoogLeNet's ceil-mode pools) and strided convolutions refuse inputs that
/// shrink to nothing before the deepest layer; LibTorch reports that as an error deep inside a run. Trying sizes
/// 1, 2, 3, ... on a zero image costs a few milliseconds and works for every architecture, including ONNX graphs
/// whose structure is not known in advance. Height and width pass through convolutions and pools independently, so
/// the side found is the minimum for each of them.
/// </remarks>
public static class InputSizeProbe
{
    // Every ImageNet network takes 224x224; a network that cannot is refused with its own error, whatever it is.
    private const int Known = 224;
    private const int LinearUpTo = 64;

    /// <summary>The smallest side (pixels) of an input that <paramref name="network"/> runs up to every layer of <paramref name="layers"/>.</summary>
    /// <exception cref="Exception">The network's own error when it cannot run a 224x224 input (it fails for another reason than size).</exception>
    public static int MinimumSide(IFeatureNetwork network, IReadOnlyCollection<string> layers)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(layers);
        if (TryRun(network, layers, Known) is Exception failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        for (int side = 1; side <= LinearUpTo; side++)
        {
            if (TryRun(network, layers, side) is null)
            {
                return side;
            }
        }

        // Larger inputs never fail where smaller ones pass (every layer's output grows with its input), so the
        // smallest working side lies between the last failure and the known size.
        int failed = LinearUpTo, works = Known;
        while (works - failed > 1)
        {
            int middle = failed + ((works - failed) / 2);
            if (TryRun(network, layers, middle) is null)
            {
                works = middle;
            }
            else
            {
                failed = middle;
            }
        }

        return works;
    }

    // Null when the dry run succeeded, else why it failed.
    private static Exception? TryRun(IFeatureNetwork network, IReadOnlyCollection<string> layers, int side)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        try
        {
            network.Extract(zeros(1, 3, side, side), layers);
            return null;
        }
        catch (Exception e) when (e is ExternalException or OnnxEvaluationException or ArgumentException)
        {
            return e;
        }
    }
}
