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
    private const int LinearUpTo = 64;
    private const int Largest = 1024;

    /// <summary>The smallest side (pixels) of an input that <paramref name="network"/> runs up to every layer of <paramref name="layers"/>.</summary>
    /// <exception cref="NeuralStyleException">No input up to 1024 pixels runs (the network fails for another reason).</exception>
    public static int MinimumSide(IFeatureNetwork network, IReadOnlyCollection<string> layers)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(layers);
        Exception? last = null;
        int failed = 0;
        for (int side = 1; side <= Largest; side = side < LinearUpTo ? side + 1 : side * 2)
        {
            last = TryRun(network, layers, side);
            if (last is null)
            {
                return side <= LinearUpTo ? side : Narrow(network, layers, failed, side);
            }

            failed = side;
        }

        throw new InputSizeException($"the network fails on every input size up to {Largest}x{Largest}: {last!.Message.Split('\n', 2)[0]}");
    }

    // Past the linear range sizes double; the smallest working side lies between the last failure and the first
    // success (larger inputs never fail where smaller ones pass: every layer's output grows with its input).
    private static int Narrow(IFeatureNetwork network, IReadOnlyCollection<string> layers, int failed, int works)
    {
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

    // Null when the dry run succeeded, else why it failed; errors that are not about the input's size still end the
    // search (at the largest size) and are reported then.
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
