using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inspection;

/// <summary>A module that computes with functional calls (not through Conv2d or Linear submodules) and counts its own multiply-adds.</summary>
/// <remarks>
/// <see cref="MultiplyAdds"/> counts Conv2d, ConvTranspose2d and Linear by their shapes; a custom module (LeNet-5's
/// partial C3 table, an RBF layer) implements this to report the multiply-adds of its own arithmetic, excluding its
/// submodules', which are counted separately.
/// </remarks>
public interface IMultiplyAddCounting
{
    /// <summary>Multiply-adds per image of one forward call that read <paramref name="input"/> and produced <paramref name="output"/>.</summary>
    long MultiplyAddsPerImage(Tensor input, Tensor output);
}
