using NeuralStyle.Zoo.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.AlexNet;

/// <summary>AlexNet as in the paper (Krizhevsky, Sutskever and Hinton 2012): 96-256-384-384-256 with local response normalisation and the two-GPU grouping.</summary>
/// <remarks>
/// <para>
/// Layers (keys named like torchvision's, numbered by position): <c>features</c> = 0 conv 96 11x11/4, 1 ReLU, 2 LRN,
/// 3 max-pool 3/2, 4 conv 256 5x5 pad 2 in 2 groups, 5 ReLU, 6 LRN, 7 max-pool, 8 conv 384 3x3 pad 1 (sees both groups),
/// 9 ReLU, 10 conv 384 3x3 pad 1 in 2 groups, 11 ReLU, 12 conv 256 3x3 pad 1 in 2 groups, 13 ReLU, 14 max-pool;
/// <c>classifier</c> = 0 linear 9216-4096, 1 ReLU, 2 dropout, 3 linear 4096-4096, 4 ReLU, 5 dropout, 6 linear 4096-classes
/// (the paper drops out the outputs of the first two fully-connected layers). 60,965,224 parameters.
/// </para>
/// <para>
/// Input: 3x227x227, first convolution unpadded. The paper says 224, but its 55x55 first-layer maps need (227 - 11) / 4 + 1;
/// 227 is what Caffe's reference AlexNet uses. The classifier then gets 256x6x6; there is no adaptive pool, so other
/// sizes fail at the first linear layer.
/// </para>
/// <para>
/// LRN: the paper's b = a / (k + alpha * sum of a^2 over n = 5 neighbouring maps)^beta with k = 2, alpha = 1e-4,
/// beta = 0.75. PyTorch's LocalResponseNorm divides alpha by n, so it is given alpha = 5e-4.
/// </para>
/// <para>Initial weights as the paper: N(0, 0.01); biases 1 in the second, fourth and fifth convolutions and the hidden linear layers, 0 elsewhere.</para>
/// </remarks>
public sealed class AlexNetOriginal : ZooModel
{
    /// <summary>The paper's LRN neighbourhood (n).</summary>
    public const int LrnSize = 5;

    /// <summary>The paper's LRN alpha (multiplies the plain sum of squares).</summary>
    public const double LrnAlpha = 1e-4;

    /// <summary>The paper's LRN exponent.</summary>
    public const double LrnBeta = 0.75;

    /// <summary>The paper's LRN additive constant.</summary>
    public const double LrnK = 2;

    private readonly Sequential _features;
    private readonly Sequential _classifier;

    /// <summary>Builds the paper's network with the paper's initial weights.</summary>
    /// <param name="classes">Outputs of the last linear layer.</param>
    /// <param name="dropout">Dropout probability after the first two linear layers.</param>
    public AlexNetOriginal(int classes = 1000, double dropout = 0.5)
        : base("alexnet-original")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        _features = NumberedSequential.Create(
            nn.Conv2d(3, 96, 11, stride: 4),
            nn.ReLU(),
            Lrn(),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(96, 256, 5, padding: 2, groups: 2),
            nn.ReLU(),
            Lrn(),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(256, 384, 3, padding: 1),
            nn.ReLU(),
            nn.Conv2d(384, 384, 3, padding: 1, groups: 2),
            nn.ReLU(),
            nn.Conv2d(384, 256, 3, padding: 1, groups: 2),
            nn.ReLU(),
            nn.MaxPool2d(3, 2));
        _classifier = NumberedSequential.Create(
            nn.Linear(256 * 6 * 6, 4096),
            nn.ReLU(),
            new ZooDropout(dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(),
            new ZooDropout(dropout),
            nn.Linear(4096, classes));
        register_module("features", _features);
        register_module("classifier", _classifier);
        Initialise();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using Tensor features = _features.call(input);
        if (features.shape[^2] != 6 || features.shape[^1] != 6)
        {
            // Without this the error would be libtorch's matrix-size mismatch deep in the classifier.
            throw new ArgumentException(
                $"alexnet-original needs a 3x227x227 input (its classifier takes 256x6x6 maps; this input gives 256x{features.shape[^2]}x{features.shape[^1]})",
                nameof(input));
        }

        using Tensor flat = features.flatten(1);
        return _classifier.call(flat);
    }

    private static LocalResponseNorm Lrn() => nn.LocalResponseNorm(LrnSize, LrnAlpha * LrnSize, LrnBeta, LrnK);

    private void Initialise()
    {
        // Section 5 of the paper: the layers whose biases start at 1 give the ReLUs positive inputs early on.
        string[] biasOne = ["features.4", "features.10", "features.12", "classifier.0", "classifier.3"];
        using var noGrad = no_grad();
        foreach ((string name, nn.Module module) in named_modules())
        {
            (Tensor? weight, Tensor? bias) = module switch
            {
                Conv2d conv => (conv.weight, conv.bias),
                Linear linear => (linear.weight, linear.bias),
                _ => (null, null),
            };
            if (weight is null || bias is null)
            {
                continue;
            }

            ZooInit.Normal(weight, 0, 0.01);
            ZooInit.Constant(bias, biasOne.Contains(name) ? 1 : 0);
        }
    }
}
