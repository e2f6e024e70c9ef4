using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.LeNet;

/// <summary>LeNet-5 as in the paper (LeCun, Bottou, Bengio and Haffner 1998): 32x32x1 input, 60,000 trainable parameters, RBF output.</summary>
/// <remarks>
/// <para>
/// Layers and keys (our own names, after the paper's): <c>c1</c> conv 6@5x5 (28x28), <c>s2</c> trainable subsampling
/// (14x14), <c>c3</c> conv 16@5x5 with the partial connection table of Table I (10x10, 1,516 parameters), <c>s4</c>
/// (5x5), <c>c5</c> conv 120@5x5 (1x1), <c>f6</c> linear 120-84, <c>output</c> 10 Euclidean RBF units.
/// Every layer up to F6 is followed by the paper's squashing function 1.7159 tanh(2a/3) (<c>tanh1</c> .. <c>tanh6</c>):
/// the "sigmoidal function" of the subsampling layers is that same function (section II.B and appendix A).
/// </para>
/// <para>
/// The output is the squared Euclidean distance of F6 to each class's centre, N x 10: lower is better; use its
/// negative as logits. The centres are fixed in the paper, so they are a buffer (<c>output.centres</c>, 10x84, random
/// +-1): in the state dict, but not among the parameters; the parameters are exactly the paper's 60,000 trainable ones.
/// Initial weights follow the paper: uniform in +-2.4 / fan-in.
/// </para>
/// </remarks>
public sealed class LeNet5 : LayerChain
{
    /// <summary>Table I of the paper: the S2 maps each C3 map sees.</summary>
    public static readonly IReadOnlyList<IReadOnlyList<int>> C3Connections =
    [
        [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [0, 4, 5], [0, 1, 5],
        [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [0, 3, 4, 5], [0, 1, 4, 5], [0, 1, 2, 5],
        [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],
        [0, 1, 2, 3, 4, 5],
    ];

    /// <summary>Builds the paper's network with <paramref name="classes"/> RBF output units.</summary>
    public LeNet5(int classes = 10)
        : base("lenet5", Layers(classes))
    {
    }

    private static IEnumerable<(string, nn.Module<Tensor, Tensor>)> Layers(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        yield return ("c1", Conv(1, 6));
        yield return ("tanh1", new ScaledTanh());
        yield return ("s2", new TrainableSubsampling(6));
        yield return ("tanh2", new ScaledTanh());
        yield return ("c3", new PartialConnectionConv(C3Connections, 6, 5));
        yield return ("tanh3", new ScaledTanh());
        yield return ("s4", new TrainableSubsampling(16));
        yield return ("tanh4", new ScaledTanh());
        yield return ("c5", Conv(16, 120));
        yield return ("tanh5", new ScaledTanh());
        yield return ("flatten", nn.Flatten());
        Linear f6 = nn.Linear(120, 84);
        LeNetInit.Uniform(f6.weight!, 120);
        LeNetInit.Uniform(f6.bias!, 120);
        yield return ("f6", f6);
        yield return ("tanh6", new ScaledTanh());
        yield return ("output", new EuclideanRbf(84, classes));
    }

    private static Conv2d Conv(long inputs, long outputs)
    {
        Conv2d conv = nn.Conv2d(inputs, outputs, 5);
        LeNetInit.Uniform(conv.weight!, inputs * 25);
        LeNetInit.Uniform(conv.bias!, inputs * 25);
        return conv;
    }
}
