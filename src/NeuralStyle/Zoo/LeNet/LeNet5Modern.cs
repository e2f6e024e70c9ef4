using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.LeNet;

/// <summary>The usual modern LeNet-5: full C3, ReLU, 2x2 max-pooling and a linear output layer; 61,706 parameters.</summary>
/// <remarks>
/// Keys use the paper's layer names, so the two versions line up: <c>c1</c> conv 1-6 5x5, <c>s2</c> max-pool 2x2,
/// <c>c3</c> conv 6-16 5x5, <c>s4</c> max-pool, <c>c5</c> conv 16-120 5x5, <c>f6</c> linear 120-84, <c>output</c> linear
/// 84-classes (logits); ReLUs <c>relu1</c>, <c>relu3</c>, <c>relu5</c>, <c>relu6</c>. Input 1x32x32; PyTorch's default
/// initial weights.
/// </remarks>
public sealed class LeNet5Modern : LayerChain
{
    /// <summary>Builds the network with <paramref name="classes"/> outputs.</summary>
    public LeNet5Modern(int classes = 10)
        : base("lenet5-modern", Layers(classes))
    {
    }

    private static IEnumerable<(string, nn.Module<Tensor, Tensor>)> Layers(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        yield return ("c1", nn.Conv2d(1, 6, 5));
        yield return ("relu1", nn.ReLU());
        yield return ("s2", nn.MaxPool2d(2, 2));
        yield return ("c3", nn.Conv2d(6, 16, 5));
        yield return ("relu3", nn.ReLU());
        yield return ("s4", nn.MaxPool2d(2, 2));
        yield return ("c5", nn.Conv2d(16, 120, 5));
        yield return ("relu5", nn.ReLU());
        yield return ("flatten", nn.Flatten());
        yield return ("f6", nn.Linear(120, 84));
        yield return ("relu6", nn.ReLU());
        yield return ("output", nn.Linear(84, classes));
    }
}
