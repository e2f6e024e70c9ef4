using NeuralStyle.Transfer;
using TorchSharp;
using static TorchSharp.torch;
using NeuralStyle.Runtime;

namespace NeuralStyle.Backbones;

/// <summary>VGG's convolutional part as a feature extractor with frozen weights.</summary>
/// <remarks>
/// Convolutions use TensorFlow's SAME padding and pooling is 2x2/2 with SAME padding (ceil mode: on odd sizes the
/// last window covers one row or column), exactly like the seed. Weights never require gradients, so back-propagation
/// computes the gradient with respect to the input only. In bfloat16 (<see cref="ComputePrecision.BFloat16"/>) the
/// input is cast to bfloat16, every layer runs on bfloat16 copies of the weights (made on first use, half the size),
/// and each tapped feature is cast back to float32, so Gram matrices and losses stay float32. In float32 the input and
/// the weights are laid out channels-last in memory (the weights' copies made on first use, so a run holds the weights
/// twice), and so are the features returned: the same sizes and values, other strides (read them through
/// <c>contiguous()</c> before taking their raw data).
/// </remarks>
public sealed class VggFeatureNetwork : IFeatureNetwork, IDisposable
{
    private readonly List<VggLayer> _layers;
    private readonly Dictionary<string, int> _index;
    private readonly string _origin;
    private Dictionary<string, (Tensor Weight, Tensor Bias)>? _bf16;
    private Dictionary<string, Tensor>? _nhwc;

    /// <summary>Builds the network from its layers in order.</summary>
    /// <param name="layers">The layers, in order; the network owns their tensors.</param>
    /// <param name="pixels">The input convention of the first layer.</param>
    /// <param name="pooling">Max (the seed's default) or average pooling.</param>
    /// <param name="origin">Where the weights came from, for <see cref="Description"/>.</param>
    public VggFeatureNetwork(IEnumerable<VggLayer> layers, PixelConvention pixels, PoolingMode pooling, string origin = "MatConvNet")
    {
        _origin = origin;
        TorchRuntime.EnsureInitialized();
        _layers = [.. layers];
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _layers.Count; i++)
        {
            VggLayer layer = _layers[i];
            if (!_index.TryAdd(layer.Name, i))
            {
                throw new ArgumentException($"duplicate layer name '{layer.Name}'", nameof(layers));
            }

            if (layer.Kind == VggLayerKind.Convolution && (layer.Weight is null || layer.Bias is null))
            {
                throw new ArgumentException($"convolution '{layer.Name}' has no weights", nameof(layers));
            }

            layer.Weight?.requires_grad_(false);
            layer.Bias?.requires_grad_(false);
        }

        Pixels = pixels;
        Pooling = pooling;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> LayerNames => [.. _layers.Select(l => l.Name)];

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<VggLayer> Layers => _layers;

    /// <inheritdoc />
    public PixelConvention Pixels { get; }

    /// <inheritdoc />
    public BackboneDefaults Defaults => BackboneDefaults.Vgg;

    /// <summary>The pooling the network was built with.</summary>
    public PoolingMode Pooling { get; }

    /// <inheritdoc />
    public string Description => _origin == "MatConvNet"
        ? $"VGG (MatConvNet, {Loaded})"
        : $"{_origin}; {Loaded}";

    private string Loaded => $"{_layers.Count(l => l.Kind == VggLayerKind.Convolution)} convolutions loaded, {Pooling.ToString().ToLowerInvariant()} pooling";

    /// <inheritdoc />
    /// <remarks>With <see cref="ChannelsLast"/>, the convolution weights count twice: their channels-last copies.</remarks>
    public long WeightBytes => _layers.Where(l => l.Weight is not null).Sum(l => ((ChannelsLast ? 2 : 1) * l.Weight!.numel() + l.Bias!.numel()) * 4);

    /// <summary>Drops (and frees) every layer after <paramref name="lastLayer"/>, so that memory and time are spent only on what is used.</summary>
    public void TruncateAfter(string lastLayer)
    {
        int last = IndexOf(lastLayer);
        for (int i = last + 1; i < _layers.Count; i++)
        {
            _layers[i].Weight?.Dispose();
            _layers[i].Bias?.Dispose();
            DisposeCopies(_layers[i].Name);
            _index.Remove(_layers[i].Name);
        }

        _layers.RemoveRange(last + 1, _layers.Count - last - 1);
    }

    /// <inheritdoc />
    public bool ComputesInBFloat16 => true;

    /// <summary>
    /// Float32 activations and weights laid out channels-last (N x H x W x C) in memory: LibTorch's convolutions then
    /// run oneDNN's NHWC kernels, which took 0.81x to 0.92x the time of the NCHW ones per style iteration on VGG-19's
    /// shapes at 256 and 512 px (BENCHMARKS.md, issue 14 item 2). On by default; off gives the plain layout (the
    /// benchmark's baseline).
    /// </summary>
    internal bool ChannelsLast { get; set; } = true;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> Extract(Tensor input, IReadOnlyCollection<string> layers) => Extract(input, layers, ComputePrecision.Float32);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> Extract(Tensor input, IReadOnlyCollection<string> layers, ComputePrecision precision)
    {
        if (precision == ComputePrecision.Auto)
        {
            throw new ArgumentException("resolve the precision first (auto is a request, not an arithmetic)", nameof(precision));
        }

        bool bf16 = precision == ComputePrecision.BFloat16;
        int deepest = layers.Count == 0 ? -1 : layers.Max(IndexOf);
        var wanted = new HashSet<string>(layers, StringComparer.Ordinal);
        var outputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        bool nhwc = ChannelsLast && !bf16;
        Tensor current = bf16 ? input.to(ScalarType.BFloat16) : nhwc ? ToChannelsLast(input) : input;
        for (int i = 0; i <= deepest; i++)
        {
            VggLayer layer = _layers[i];
            current = layer.Kind switch
            {
                VggLayerKind.Convolution when bf16 => Convolve(current, BFloat16Weights(layer).Weight, BFloat16Weights(layer).Bias),
                VggLayerKind.Convolution when nhwc => Convolve(current, ChannelsLastWeight(layer), layer.Bias!),
                VggLayerKind.Convolution => Convolve(current, layer.Weight!, layer.Bias!),
                VggLayerKind.Relu => nn.functional.relu(current),
                _ => Pool(current),
            };
            if (wanted.Contains(layer.Name))
            {
                outputs[layer.Name] = bf16 ? current.to(ScalarType.Float32) : current;
            }
        }

        return outputs;
    }

    /// <summary>Position of a layer; throws with the known names when it does not exist.</summary>
    public int IndexOf(string layer) =>
        _index.TryGetValue(layer, out int i)
            ? i
            : throw new ArgumentException($"the network has no layer '{layer}' (it has: {string.Join(", ", _layers.Select(l => l.Name))})");

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (VggLayer layer in _layers)
        {
            layer.Weight?.Dispose();
            layer.Bias?.Dispose();
            DisposeCopies(layer.Name);
        }

        _layers.Clear();
    }

    // The bfloat16 copy of a convolution's weights, made once (outside any dispose scope: the network owns it).
    private (Tensor Weight, Tensor Bias) BFloat16Weights(VggLayer layer)
    {
        _bf16 ??= new Dictionary<string, (Tensor, Tensor)>(StringComparer.Ordinal);
        if (!_bf16.TryGetValue(layer.Name, out (Tensor Weight, Tensor Bias) copy))
        {
            using (no_grad())
            {
                copy = (layer.Weight!.to(ScalarType.BFloat16).DetachFromDisposeScope(), layer.Bias!.to(ScalarType.BFloat16).DetachFromDisposeScope());
            }

            _bf16[layer.Name] = copy;
        }

        return copy;
    }

    // The same dims and values with channels-last strides: LibTorch's convolutions then run their NHWC kernels.
    private static Tensor ToChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    private Tensor ChannelsLastWeight(VggLayer layer)
    {
        _nhwc ??= new Dictionary<string, Tensor>(StringComparer.Ordinal);
        if (!_nhwc.TryGetValue(layer.Name, out Tensor? weight))
        {
            using (no_grad())
            {
                weight = ToChannelsLast(layer.Weight!).DetachFromDisposeScope();
            }

            _nhwc[layer.Name] = weight;
        }

        return weight;
    }

    // Frees a layer's bf16 and channels-last copies, if made.
    private void DisposeCopies(string layer)
    {
        if (_nhwc is not null && _nhwc.Remove(layer, out Tensor? nhwc))
        {
            nhwc.Dispose();
        }

        if (_bf16 is not null && _bf16.Remove(layer, out (Tensor Weight, Tensor Bias) copy))
        {
            copy.Weight.Dispose();
            copy.Bias.Dispose();
        }
    }

    private static Tensor Convolve(Tensor x, Tensor weight, Tensor bias)
    {
        // TensorFlow's SAME at stride 1 pads k-1 in total, the odd pixel (even kernels only) going after.
        long kh = weight.shape[2], kw = weight.shape[3];
        long top = (kh - 1) / 2, left = (kw - 1) / 2;
        long bottom = kh - 1 - top, right = kw - 1 - left;
        if (top == bottom && left == right)
        {
            return nn.functional.conv2d(x, weight, bias, padding: [top, left]);
        }

        Tensor padded = nn.functional.pad(x, [left, right, top, bottom]);
        return nn.functional.conv2d(padded, weight, bias);
    }

    private Tensor Pool(Tensor x)
    {
        // ceil_mode reproduces TensorFlow's SAME for a 2x2/2 window: the padding goes after, and average pooling
        // divides by the number of real pixels in the window.
        return Pooling == PoolingMode.Max
            ? nn.functional.max_pool2d(x, [2, 2], [2, 2], ceil_mode: true)
            : nn.functional.avg_pool2d(x, [2, 2], [2, 2], ceil_mode: true, count_include_pad: false);
    }
}
