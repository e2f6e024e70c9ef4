using NeuralStyle.Transfer;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.Inspection;
using static TorchSharp.torch;

namespace NeuralStyle.Backbones;

/// <summary>A zoo model as a style-transfer backbone: every module that runs is a layer, named by its path ("features.22", "layer3.0").</summary>
/// <remarks>
/// The model is frozen (no parameter requires gradients) and kept in evaluation mode, so back-propagation computes
/// the gradient with respect to the image only. The forward pass stops after the deepest requested layer. Pixels follow
/// the model's <see cref="ModelInfo.Preprocessing"/>; a one-channel model (LeNet-5) sees the image's luma. Layer
/// choices are <see cref="ZooBackboneLayers"/>'s.
/// </remarks>
public sealed class ZooFeatureNetwork : IFeatureNetwork, IDisposable
{
    // PIL's "L" conversion (ITU-R 601-2 luma).
    private static readonly float[] Luma = [0.299f, 0.587f, 0.114f];

    private readonly ZooModel _model;
    private readonly HashSet<string> _names;

    /// <summary>Wraps <paramref name="model"/> (taking ownership), described by <paramref name="info"/>.</summary>
    /// <param name="model">The model, with its weights loaded.</param>
    /// <param name="info">Its description: preprocessing, family and canonical input (the layers are listed at that size).</param>
    /// <param name="weightsSource">Where the weights came from, for <see cref="Description"/>.</param>
    public ZooFeatureNetwork(ZooModel model, ModelInfo info, string? weightsSource = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(info);
        _model = model;
        Info = info;
        foreach (var parameter in model.parameters())
        {
            parameter.requires_grad_(false);
        }

        model.eval();
        Layers = ZooLayers.Describe(model, info.Input);
        LayerNames = [.. Layers.Select(l => l.Name)];
        _names = [.. LayerNames];
        ImagePreprocessing p = info.Preprocessing;
        Pixels = new PixelConvention(ThreeChannels(p.Mean), ThreeChannels(p.Std), p.Scale, p.Bgr);
        Aliases = ZooBackboneLayers.Aliases(info, Layers);
        Defaults = ZooBackboneLayers.Defaults(info, Layers, Pixels);
        Description = $"{info.Name} ({info.Family}, zoo model after {info.Reference}" + (weightsSource is null ? ")" : $", weights {weightsSource})");
    }

    /// <summary>What the network is, for the console.</summary>
    public string Description { get; }

    /// <inheritdoc />
    public long WeightBytes => Model.parameters().Sum(p => p.numel() * p.element_size());

    /// <summary>The model's description.</summary>
    public ModelInfo Info { get; }

    /// <summary>The model itself.</summary>
    public ZooModel Model => _model;

    /// <summary>The layers with their types and output shapes at the canonical input.</summary>
    public IReadOnlyList<ZooLayer> Layers { get; }

    /// <summary>Readable names and the module paths they stand for (VGG: relu4_2).</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> LayerNames { get; }

    /// <inheritdoc />
    public PixelConvention Pixels { get; }

    /// <inheritdoc />
    public BackboneDefaults Defaults { get; }

    /// <summary>Builds zoo model <paramref name="name"/>, loads <paramref name="stateDict"/> (a torch.save'd PyTorch state dict or a safetensors file, told apart by content) strictly, and wraps it.</summary>
    /// <param name="name">Zoo name ("vgg16"), case-insensitive.</param>
    /// <param name="stateDict">The weights; null keeps the random initial weights (for listing layers).</param>
    /// <exception cref="KeyNotFoundException">No such zoo model; the message lists the names.</exception>
    /// <exception cref="IOException">The file is not a state dict of this model (the message lists missing and unexpected keys), is damaged, or is in no format read.</exception>
    public static ZooFeatureNetwork Load(string name, string? stateDict) =>
        Create(name, model =>
        {
            if (stateDict is not null)
            {
                Weights.StateDictFile.LoadInto(model, stateDict, strict: true);
            }
        }, stateDict is null ? "random" : Path.GetFileName(stateDict));

    /// <summary>Loads a zoo model with a PyTorch state dict and wraps it.</summary>
    /// <param name="name">Zoo name ("vgg16").</param>
    /// <param name="load">Loads the weights into the built model (strictly).</param>
    /// <param name="weightsSource">Where the weights came from, for <see cref="Description"/>.</param>
    public static ZooFeatureNetwork Create(string name, Action<ZooModel> load, string? weightsSource = null)
    {
        ArgumentNullException.ThrowIfNull(load);
        ModelInfo info = ModelZoo.Describe(name);
        // The auxiliary heads never run in evaluation mode but their weights are in torchvision's state dicts.
        ZooModel model = ModelZoo.Create(name);
        try
        {
            load(model);
            return new ZooFeatureNetwork(model, info, weightsSource);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> Extract(Tensor input, IReadOnlyCollection<string> layers)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layers);
        var paths = layers.Distinct(StringComparer.Ordinal).ToDictionary(l => l, Resolve, StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        Tensor x = input;
        if (Info.Preprocessing.Grayscale && input.shape[1] == 3)
        {
            // Mean and std are the same in every channel, so the luma of the normalised image is the normalised luma.
            x = (input * tensor(Luma, [1, 3, 1, 1], input.dtype, input.device)).sum(1, keepdim: true);
        }

        IReadOnlyDictionary<string, Tensor> features = ZooFeatures.Extract(_model, x, [.. paths.Values.Distinct(StringComparer.Ordinal)]);
        var result = paths.ToDictionary(kv => kv.Key, kv => features[kv.Value].alias().MoveToOuterDisposeScope(), StringComparer.Ordinal);
        return result;
    }

    /// <inheritdoc />
    public string CanonicalName(string layer) => Resolve(layer);

    /// <summary>The module path <paramref name="layer"/> (an alias or a path) stands for; throws naming the model when there is none.</summary>
    public string Resolve(string layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (Aliases.TryGetValue(layer, out string? path))
        {
            return path;
        }

        return _names.Contains(layer)
            ? layer
            : throw new ArgumentException($"{Info.Name} has no layer '{layer}' (see `neural-style layers --network {Info.Name}`)");
    }

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();

    private static float[] ThreeChannels(float[] values) => values.Length == 1 ? [values[0], values[0], values[0]] : values;
}
