using TorchSharp;
using static TorchSharp.torch;
using NeuralStyle.Zoo.Blocks;

namespace NeuralStyle.Zoo.LeNet;

/// <summary>LeNet-5's initialisation (LeCun et al. 1998, appendix A): uniform in +-2.4 / F_i, F_i the unit's fan-in.</summary>
internal static class LeNetInit
{
    /// <summary>Fills <paramref name="tensor"/> in place.</summary>
    public static void Uniform(Tensor tensor, long fanIn)
    {
        using var noGrad = no_grad();
        double bound = 2.4 / fanIn;
        ZooInit.Uniform(tensor, -bound, bound);
    }
}
