namespace NeuralStyle.Zoo.LeNet;

/// <summary>LeNet-5: the paper's network (<c>lenet5</c>) and the common modern variant (<c>lenet5-modern</c>).</summary>
/// <remarks>
/// Preprocessing: the image's luma, resized to 32x32, normalised with MNIST's mean and standard deviation (0.1307,
/// 0.3081), the usual choice for MNIST-trained weights (light digits on a dark background). Multiply-adds: lenet5 from
/// the paper's 340,908 connections less its 8,084 bias connections (the subsampling sums count as 4 each); lenet5-modern
/// counted from its layers (117,600 + 240,000 + 48,000 + 10,080 + 840).
/// </remarks>
public sealed class LeNetFamily : IModelFamily
{
    private static readonly ImagePreprocessing Mnist = new(32, 32, [0.1307f], [0.3081f], 1 / 255f, Grayscale: true);

    /// <inheritdoc />
    public IEnumerable<ZooEntry> Entries =>
    [
        new(
            new ModelInfo(
                "lenet5",
                "LeNet",
                1998,
                new InputShape(1, 32, 32),
                10,
                60_000,
                0.000333,
                "MNIST test error 0.95% (0.8% with distortions), paper",
                "LeCun et al. 1998 (Proc. IEEE), partial C3 table, scaled tanh, fixed RBF centres; own key names",
                Mnist),
            options => new LeNet5(options.Classes ?? 10)),
        new(
            new ModelInfo(
                "lenet5-modern",
                "LeNet",
                1998,
                new InputShape(1, 32, 32),
                10,
                61_706,
                0.00042,
                "none published (modern variant)",
                "common modern LeNet-5 (full C3, ReLU, max-pool, linear output); own key names",
                Mnist),
            options => new LeNet5Modern(options.Classes ?? 10)),
    ];
}
