using NeuralStyle.Zoo.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.SqueezeNet;

/// <summary>torchvision's SqueezeNet 1.0 and 1.1 (Iandola et al. 2016): same layers, keys and initialisation.</summary>
/// <remarks>
/// <c>features</c>: the stem convolution and ReLU, ceil-mode 3/2 max-pools and the Fire modules at torchvision's positions
/// (keys <c>features.3.expand3x3.weight</c>); <c>classifier</c>: dropout 0.5, 1x1 convolution to the classes, ReLU and
/// global average pool (key <c>classifier.1.weight</c>). Initialisation as torchvision: He uniform convolutions, the final
/// one N(0, 0.01), zero biases.
/// </remarks>
public sealed class SqueezeNetModel : ZooModel
{
    private readonly Sequential _features;
    private readonly Sequential _classifier;

    /// <summary>Builds SqueezeNet <paramref name="version"/> ("1_0" or "1_1").</summary>
    /// <param name="version">"1_0" (the paper's) or "1_1" (2.4x less computation, same accuracy).</param>
    /// <param name="classes">Output channels of the final convolution.</param>
    /// <param name="dropout">Dropout probability before the final convolution.</param>
    public SqueezeNetModel(string version, int classes = 1000, double dropout = 0.5)
        : base("squeezenet" + version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        _features = NumberedSequential.Create(version switch
        {
            "1_0" =>
            [
                nn.Conv2d(3, 96, 7, stride: 2),
                nn.ReLU(),
                Pool(),
                new Fire(96, 16, 64, 64),
                new Fire(128, 16, 64, 64),
                new Fire(128, 32, 128, 128),
                Pool(),
                new Fire(256, 32, 128, 128),
                new Fire(256, 48, 192, 192),
                new Fire(384, 48, 192, 192),
                new Fire(384, 64, 256, 256),
                Pool(),
                new Fire(512, 64, 256, 256),
            ],
            "1_1" =>
            [
                nn.Conv2d(3, 64, 3, stride: 2),
                nn.ReLU(),
                Pool(),
                new Fire(64, 16, 64, 64),
                new Fire(128, 16, 64, 64),
                Pool(),
                new Fire(128, 32, 128, 128),
                new Fire(256, 32, 128, 128),
                Pool(),
                new Fire(256, 48, 192, 192),
                new Fire(384, 48, 192, 192),
                new Fire(384, 64, 256, 256),
                new Fire(512, 64, 256, 256),
            ],
            _ => throw new ArgumentException($"SqueezeNet version '{version}' is not 1_0 or 1_1", nameof(version)),
        });
        Conv2d final = nn.Conv2d(512, classes, 1);
        _classifier = NumberedSequential.Create(new ZooDropout(dropout), final, nn.ReLU(), nn.AdaptiveAvgPool2d([1, 1]));
        register_module("features", _features);
        register_module("classifier", _classifier);
        Initialise(final);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using Tensor features = _features.call(input);
        using Tensor pooled = _classifier.call(features);
        return pooled.flatten(1);
    }

    private static MaxPool2d Pool() => nn.MaxPool2d(3, 2, ceil_mode: true);

    private void Initialise(Conv2d final)
    {
        using var noGrad = no_grad();
        foreach (Conv2d conv in modules().OfType<Conv2d>())
        {
            if (ReferenceEquals(conv, final))
            {
                ZooInit.Normal(conv.weight!, 0, 0.01);
            }
            else
            {
                ZooInit.KaimingUniform(conv.weight!);
            }

            ZooInit.Constant(conv.bias!, 0);
        }
    }
}
