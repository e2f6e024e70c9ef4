using NeuralStyle.Zoo.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Vgg;

/// <summary>torchvision's VGG (Simonyan and Zisserman 2014), with or without batch normalisation: same layers, keys and initialisation.</summary>
/// <remarks>
/// <c>features</c> holds 3x3/1 pad 1 convolutions (each followed by <c>BatchNorm2d</c> in the _bn variants) with ReLU,
/// and a 2x2/2 max-pool per stage; then <c>avgpool</c> (adaptive 7x7, so any input of at least 32x32 works) and
/// <c>classifier</c> (Linear 25088-4096, ReLU, Dropout 0.5, Linear 4096-4096, ReLU, Dropout 0.5, Linear 4096-classes),
/// so the keys are <c>features.N</c> and <c>classifier.{0,3,6}</c>. ReLUs are not in-place (torchvision's are), so that
/// a forward hook on a convolution sees its output before the rectification.
/// </remarks>
public sealed class VggNet : ZooModel
{
    /// <summary>The widths of configuration A (VGG-11); 0 is a max-pool.</summary>
    public static readonly IReadOnlyList<int> ConfigurationA = [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0];

    /// <summary>The widths of configuration B (VGG-13); 0 is a max-pool.</summary>
    public static readonly IReadOnlyList<int> ConfigurationB = [64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0];

    /// <summary>The widths of configuration D (VGG-16); 0 is a max-pool.</summary>
    public static readonly IReadOnlyList<int> ConfigurationD = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];

    /// <summary>The widths of configuration E (VGG-19); 0 is a max-pool.</summary>
    public static readonly IReadOnlyList<int> ConfigurationE = [64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0];

    private readonly Sequential _features;
    private readonly AdaptiveAvgPool2d _avgpool;
    private readonly Sequential _classifier;

    /// <summary>Builds a VGG of <paramref name="configuration"/> (widths, 0 = max-pool) with torchvision's initial weights.</summary>
    /// <param name="name">The zoo name ("vgg16_bn").</param>
    /// <param name="configuration">Convolution widths in order, 0 for a 2x2/2 max-pool.</param>
    /// <param name="batchNorm">Put a BatchNorm2d after every convolution.</param>
    /// <param name="classes">Outputs of the last linear layer.</param>
    /// <param name="dropout">Dropout probability of the classifier.</param>
    public VggNet(string name, IReadOnlyList<int> configuration, bool batchNorm, int classes = 1000, double dropout = 0.5)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        _features = NumberedSequential.Create(FeatureLayers(configuration, batchNorm));
        _avgpool = nn.AdaptiveAvgPool2d([7, 7]);
        _classifier = NumberedSequential.Create(
            nn.Linear(512 * 7 * 7, 4096),
            nn.ReLU(),
            new ZooDropout(dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(),
            new ZooDropout(dropout),
            nn.Linear(4096, classes));
        register_module("features", _features);
        register_module("avgpool", _avgpool);
        register_module("classifier", _classifier);
        Initialise();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using Tensor features = _features.call(input);
        using Tensor pooled = _avgpool.call(features);
        using Tensor flat = pooled.flatten(1);
        return _classifier.call(flat);
    }

    private static IEnumerable<nn.Module<Tensor, Tensor>> FeatureLayers(IReadOnlyList<int> configuration, bool batchNorm)
    {
        long channels = 3;
        foreach (int width in configuration)
        {
            if (width == 0)
            {
                yield return nn.MaxPool2d(2, 2);
                continue;
            }

            yield return nn.Conv2d(channels, width, 3, padding: 1);
            if (batchNorm)
            {
                yield return nn.BatchNorm2d(width);
            }

            yield return nn.ReLU();
            channels = width;
        }
    }

    // torchvision's VGG._initialize_weights: He normal (fan-out) convolutions, N(0, 0.01) linear layers, zero biases.
    private void Initialise()
    {
        using var noGrad = no_grad();
        foreach (nn.Module module in modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    ZooInit.KaimingNormalFanOut(conv.weight!);
                    ZooInit.Constant(conv.bias!, 0);
                    break;
                case BatchNorm2d bn:
                    ZooInit.Constant(bn.weight!, 1);
                    ZooInit.Constant(bn.bias!, 0);
                    break;
                case Linear linear:
                    ZooInit.Normal(linear.weight!, 0, 0.01);
                    ZooInit.Constant(linear.bias!, 0);
                    break;
            }
        }
    }
}
