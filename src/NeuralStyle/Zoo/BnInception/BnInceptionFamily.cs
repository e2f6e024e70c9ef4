namespace NeuralStyle.Zoo.BnInception;

/// <summary>BN-Inception (Ioffe and Szegedy 2015, "Batch Normalization") as Cadene's pretrainedmodels port builds it.</summary>
public sealed class BnInceptionFamily : IModelFamily
{
    /// <summary>Cadene's parameter count.</summary>
    public const long Parameters = 11_295_240;

    /// <summary>The commit of github.com/Cadene/pretrained-models.pytorch whose pretrainedmodels/models/bninception.py we follow.</summary>
    public const string CadeneCommit = "8aae3d8f1135b6b13fed79c1d431e3449fdbf6e0";

    /// <inheritdoc />
    public IEnumerable<ZooEntry> Entries { get; } =
    [
        new ZooEntry(
            new ModelInfo(
                "bninception",
                "BN-Inception",
                2015,
                new InputShape(3, 224, 224),
                1000,
                Parameters,
                2.03,
                "73.52 / 91.56 top-1 / top-5, Cadene port (paper: 74.8% top-1 single crop, BN-x30)",
                $"Cadene pretrainedmodels bninception (github.com/Cadene/pretrained-models.pytorch {CadeneCommit}, pretrainedmodels/models/bninception.py)",
                // Cadene's mean [104, 117, 128] is in the model's BGR channel order; ImagePreprocessing wants RGB.
                new ImagePreprocessing(256, 224, [128f, 117f, 104f], [1f, 1f, 1f], 1f, Bgr: true)),
            options => new BnInceptionModel(options)),
    ];
}
