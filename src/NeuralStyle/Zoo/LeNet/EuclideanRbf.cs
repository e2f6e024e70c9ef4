using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.LeNet;

/// <summary>LeNet-5's output layer: one Euclidean radial basis function unit per class, y_i = sum_j (x_j - w_ij)^2.</summary>
/// <remarks>
/// The output is a squared distance to the class's centre: lower means more likely (use its negative as logits).
/// The paper fixes the centres (it does not train them), so they are the buffer <c>centres</c> (classes x features):
/// saved in the state dict, not counted among the parameters, never given gradients. They start as random +-1 with
/// equal probabilities, one of the paper's two choices (the other is stylised 7x12 bitmaps of the characters).
/// </remarks>
public sealed class EuclideanRbf : nn.Module<Tensor, Tensor>
{
    // Named so that module.to(...) finds the field when it replaces the buffer.
    [ComponentName(Name = "centres")]
    private Tensor _centres;

    /// <summary>An RBF layer from <paramref name="features"/> inputs to <paramref name="classes"/> distances.</summary>
    public EuclideanRbf(long features, long classes)
        : base(nameof(EuclideanRbf))
    {
        using (Tensor coin = randint(2, [classes, features], generator: Blocks.ZooRandom.Current))
        {
            _centres = coin.mul(2).sub_(1).to_type(ScalarType.Float32);
        }

        register_buffer("centres", _centres);
    }

    /// <summary>The fixed centres, classes x features.</summary>
    public Tensor Centres => _centres;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Tensor x = input.unsqueeze(1);
        using Tensor difference = x.sub(_centres);
        using Tensor squares = difference.square();
        return squares.sum(2);
    }
}
