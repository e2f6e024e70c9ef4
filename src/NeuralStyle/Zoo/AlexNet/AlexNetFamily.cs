namespace NeuralStyle.Zoo.AlexNet;

/// <summary>AlexNet: torchvision's variant (<c>alexnet</c>) and the paper's grouped network with LRN (<c>alexnet-original</c>).</summary>
public sealed class AlexNetFamily : IModelFamily
{
    /// <inheritdoc />
    public IEnumerable<ZooEntry> Entries =>
    [
        new(
            new ModelInfo(
                "alexnet",
                "AlexNet",
                2012,
                new InputShape(3, 224, 224),
                1000,
                61_100_840,
                0.714,
                "56.52 / 79.07 top-1 / top-5, torchvision",
                "torchvision 0.14 (models.alexnet)",
                ImagePreprocessing.ImageNet()),
            options => new AlexNetTorchvision(options.Classes ?? 1000)),

        // 0.724 G: the paper's network at 227x227, as counted by Sze et al. 2017 ("Efficient processing of deep neural networks", 724 M MACs).
        new(
            new ModelInfo(
                "alexnet-original",
                "AlexNet",
                2012,
                new InputShape(3, 227, 227),
                1000,
                60_965_224,
                0.724,
                "40.7% / 18.2% top-1 / top-5 error, one CNN, ILSVRC-2012 validation, paper",
                "Krizhevsky et al. 2012 (NIPS), grouped two-GPU network with LRN; keys named like torchvision's",
                ImagePreprocessing.ImageNet(crop: 227)),
            options => new AlexNetOriginal(options.Classes ?? 1000)),
    ];
}
