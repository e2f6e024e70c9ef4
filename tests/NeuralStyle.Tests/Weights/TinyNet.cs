using NeuralStyle.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>The TinyNet of tests/fixture-scripts/make_pytorch_fixtures.py: conv 3->4, BatchNorm2d(4), ReLU, global average pool, Linear 4->classes.</summary>
internal sealed class TinyNet : ZooModel
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly Linear fc;

    public TinyNet(int classes = 5, int width = 4)
        : base("tiny_net")
    {
        conv = nn.Conv2d(3, width, 3, padding: 1);
        bn = nn.BatchNorm2d(width);
        fc = nn.Linear(width, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = nn.functional.relu(bn.call(conv.call(input)));
        return fc.call(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)).MoveToOuterDisposeScope();
    }
}
