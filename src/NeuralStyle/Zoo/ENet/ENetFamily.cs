namespace NeuralStyle.Zoo.ENet;

/// <summary>ENet (Paszke, Chaurasia, Kim and Culurciello 2016), the real-time segmentation network, after davidtvs/PyTorch-ENet.</summary>
/// <remarks>
/// Classes default to 19 (Cityscapes' evaluated classes), which gives the port's 351,660 parameters; the port's own
/// Cityscapes checkpoint predicts 20 maps (19 + unlabeled: 351,804 parameters) and its CamVid one 12, so load those
/// with <see cref="ZooOptions.Classes"/> 20 or 12. Multiply-adds: no published figure matches this model at 512x512
/// (the paper's "3.83 GFLOPs" is for the authors' Torch model at 640x360), so the figure is the port's own count at
/// 3x512x512: convolutions and transposed convolutions, counted by forward hooks in PyTorch
/// (tests/fixture-scripts/enet_reference.py), 2.019 G for 19 classes; batch norm would add 0.032 G.
/// </remarks>
public sealed class ENetFamily : IModelFamily
{
    /// <summary>The port's input preprocessing: resize, then 0..1 with no mean or std (its transforms.ToTensor()).</summary>
    private static readonly ImagePreprocessing Preprocessing = new(512, 512, [0f, 0f, 0f], [1f, 1f, 1f], 1 / 255f);

    /// <inheritdoc />
    public IEnumerable<ZooEntry> Entries =>
    [
        new ZooEntry(
            new ModelInfo(
                "enet",
                "ENet",
                2016,
                new InputShape(3, 512, 512),
                19,
                351_660,
                2.02,
                "Cityscapes test class IoU 58.3 (paper); the port: 59.5 mean IoU on Cityscapes val, 52.1 on CamVid test",
                "davidtvs/PyTorch-ENet models/enet.py @ e17d404 (encoder PReLU, decoder ReLU, no biases)",
                Preprocessing),
            options => new ENetModel(options.Classes ?? 19)),
    ];
}
