namespace NeuralStyle.Zoo.FractalNet;

/// <summary>The zoo's FractalNet: <c>fractalnet</c>, the paper's CIFAR network (B = 5, C = 3, 20 layers) as khanrc/pt.fractalnet builds it.</summary>
public sealed class FractalNetFamily : IModelFamily
{
    /// <summary>The port whose keys, defaults and parameter count the zoo's FractalNet follows.</summary>
    public const string Reference = "khanrc/pt.fractalnet fractal.py @ 05eed3f9aa54a29691442b0cab5faa17c43b6a7a";

    /// <summary>CIFAR-10's per-channel mean and standard deviation of the training set (the port's datasets.py).</summary>
    public static ImagePreprocessing Cifar10Preprocessing { get; } =
        new(32, 32, [0.49139968f, 0.48215827f, 0.44653124f], [0.24703233f, 0.24348505f, 0.26158768f], 1 / 255f);

    /// <inheritdoc />
    public IEnumerable<ZooEntry> Entries =>
    [
        new ZooEntry(
            new ModelInfo(
                "fractalnet",
                "FractalNet",
                2016,
                new InputShape(3, 32, 32),
                10,
                33_724_618,
                // Counted: 845,222,912 multiply-adds (convolutions and the FC, one 32x32 image, every column), within
                // 1% of the table's ~0.85 G.
                0.845,
                "CIFAR-10 error 10.18% (no augmentation), 5.22% (augmented); 7.33% with drop-path and dropout (no augmentation); paper",
                Reference,
                Cifar10Preprocessing),
            options => new FractalNetModel(new FractalNetConfig { Classes = options.Classes ?? 10 })),
    ];
}
