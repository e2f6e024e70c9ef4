using NeuralStyle.Weights;
using NeuralStyle.Weights.MatConvNet;

namespace NeuralStyle.Backbones.VggSources;

/// <summary>Checks that convolutions read from a file make a VGG: 4-d odd square kernels, matching biases, channels that chain from RGB, sane values.</summary>
internal static class VggChain
{
    /// <summary>Throws a <see cref="NetworkFormatException"/> naming the file and the layer (by the file's own key) at the first problem.</summary>
    public static void Check(string path, IReadOnlyList<VggConvolution> convolutions, Func<string, string> keyOf)
    {
        long channels = 3;
        foreach (VggConvolution conv in convolutions)
        {
            string key = keyOf(conv.Name);
            long[] w = conv.Weight.shape;
            if (w.Length != 4 || w[2] != w[3] || w[2] % 2 == 0)
            {
                throw new NetworkFormatException(path, $"'{key}' ({conv.Name}) has weight shape [{string.Join(", ", w)}]; a VGG convolution's is [out, in, k, k] with k odd");
            }

            if (conv.Bias.shape is not [long b] || b != w[0])
            {
                throw new NetworkFormatException(path, $"'{key}' ({conv.Name}) has {w[0]} output channels but its bias has shape [{string.Join(", ", conv.Bias.shape)}]");
            }

            if (w[1] != channels)
            {
                throw new NetworkFormatException(path, $"'{key}' ({conv.Name}) expects {w[1]} input channels but receives {channels}{(channels == 3 ? " (the image's RGB)" : "")}");
            }

            if ((DamagedWeights.Describe(conv.Weight) is string bad ? ("weights", bad) : DamagedWeights.Describe(conv.Bias) is string badBias ? ("biases", badBias) : default) is (string part, string what))
            {
                throw new NetworkFormatException(path, $"'{key}' ({conv.Name}), {part}: {what}: {DamagedWeights.Advice}");
            }

            channels = w[0];
        }
    }
}
