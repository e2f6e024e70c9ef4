using TorchSharp;

namespace NeuralStyle.Transfer;

/// <summary>A network whose intermediate activations can be tapped by layer name.</summary>
/// <remarks>
/// The style engine only needs this much of a backbone: its layer names, the pixel convention it expects and a
/// way to run an image up to the deepest layer of interest. VGG from MatConvNet files, ONNX models and the zoo's
/// models implement it (NeuralStyle.Backbones); each describes itself for front ends and the memory estimate.
/// </remarks>
public interface IFeatureNetwork
{
    /// <summary>What the backbone is, for people ("VGG (MatConvNet, 16 convolutions loaded, max pooling)").</summary>
    string Description { get; }

    /// <summary>Memory the loaded weights take, for the memory estimate.</summary>
    long WeightBytes { get; }

    /// <summary>Memory the bfloat16 copies of the weights take once a bfloat16 run has made them, for the memory estimate.</summary>
    /// <remarks>Half of <see cref="WeightBytes"/> where that counts the float32 tensors alone (VGG).</remarks>
    long BFloat16WeightBytes => WeightBytes / 2;

    /// <summary>Layer names in evaluation order.</summary>
    IReadOnlyList<string> LayerNames { get; }

    /// <summary>How an RGB 0..255 image is turned into this network's input.</summary>
    PixelConvention Pixels { get; }

    /// <summary>The layers style transfer uses when the user names none.</summary>
    BackboneDefaults Defaults { get; }

    /// <summary>Runs <paramref name="input"/> (N x 3 x H x W, already preprocessed) and returns the requested layers' outputs.</summary>
    /// <remarks>Evaluation stops after the deepest requested layer.</remarks>
    IReadOnlyDictionary<string, torch.Tensor> Extract(torch.Tensor input, IReadOnlyCollection<string> layers);

    /// <summary>Whether <see cref="Extract(torch.Tensor, IReadOnlyCollection{string}, ComputePrecision)"/> can compute in bfloat16 (VGG and ONNX graphs; the zoo's models not yet).</summary>
    bool ComputesInBFloat16 => false;

    /// <summary>
    /// <see cref="Extract(torch.Tensor, IReadOnlyCollection{string})"/> in <paramref name="precision"/> (resolved: float32
    /// or bfloat16); the features returned are float32 either way, and the gradient reaches the float32 input.
    /// </summary>
    IReadOnlyDictionary<string, torch.Tensor> Extract(torch.Tensor input, IReadOnlyCollection<string> layers, ComputePrecision precision) =>
        precision == ComputePrecision.Float32
            ? Extract(input, layers)
            : throw new ArgumentException($"{Description} computes in float32 only (asked: {precision})", nameof(precision));

    /// <summary>The name in <see cref="LayerNames"/> that <paramref name="layer"/> stands for (backbones with aliases map them).</summary>
    string CanonicalName(string layer) => layer;
}
