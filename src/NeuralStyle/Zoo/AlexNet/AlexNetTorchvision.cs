using NeuralStyle.Zoo.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.AlexNet;

/// <summary>torchvision's AlexNet ("One weird trick" widths 64-192-384-256-256, no LRN, no groups): same layers and keys.</summary>
/// <remarks>
/// Keys <c>features.{0,3,6,8,10}</c> and <c>classifier.{1,4,6}</c>; <c>avgpool</c> is adaptive 6x6, so the classifier
/// always gets 256x6x6 (any input of at least 63x63 works). Initial weights are PyTorch's layer defaults, as in
/// torchvision. ReLUs are not in-place, so that a hook on a convolution sees its output before the rectification.
/// </remarks>
public sealed class AlexNetTorchvision : ZooModel
{
    private readonly Sequential _features;
    private readonly AdaptiveAvgPool2d _avgpool;
    private readonly Sequential _classifier;

    /// <summary>Builds the network with PyTorch's default initial weights.</summary>
    /// <param name="classes">Outputs of the last linear layer.</param>
    /// <param name="dropout">Dropout probability before the first two linear layers.</param>
    public AlexNetTorchvision(int classes = 1000, double dropout = 0.5)
        : base("alexnet")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        _features = NumberedSequential.Create(
            nn.Conv2d(3, 64, 11, stride: 4, padding: 2),
            nn.ReLU(),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(64, 192, 5, padding: 2),
            nn.ReLU(),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(192, 384, 3, padding: 1),
            nn.ReLU(),
            nn.Conv2d(384, 256, 3, padding: 1),
            nn.ReLU(),
            nn.Conv2d(256, 256, 3, padding: 1),
            nn.ReLU(),
            nn.MaxPool2d(3, 2));
        _avgpool = nn.AdaptiveAvgPool2d([6, 6]);
        _classifier = NumberedSequential.Create(
            new ZooDropout(dropout),
            nn.Linear(256 * 6 * 6, 4096),
            nn.ReLU(),
            new ZooDropout(dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(),
            nn.Linear(4096, classes));
        register_module("features", _features);
        register_module("avgpool", _avgpool);
        register_module("classifier", _classifier);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using Tensor features = _features.call(input);
        using Tensor pooled = _avgpool.call(features);
        using Tensor flat = pooled.flatten(1);
        return _classifier.call(flat);
    }
}
