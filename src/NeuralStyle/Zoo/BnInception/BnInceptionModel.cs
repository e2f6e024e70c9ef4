using NeuralStyle.Zoo.Blocks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.BnInception;

/// <summary>BN-Inception as Cadene's pretrainedmodels port (bninception.py) builds it, with its flat state-dict keys.</summary>
/// <remarks>
/// Every convolution has a bias, batch norm (PyTorch defaults: eps 1e-5, momentum 0.1) and a ReLU; max pools use
/// ceil mode. There is no dropout. The head averages over an H x H window (Cadene's kernel is the feature map's
/// height), which is the global average for square inputs. Default PyTorch initialisation, as Cadene's.
/// Input: BGR, 0..255, minus [104, 117, 128] (B, G, R).
/// </remarks>
public sealed class BnInceptionModel : ZooModel
{
    private readonly BnInceptionUnit _conv1;
    private readonly MaxPool2d _pool1;
    private readonly BnInceptionUnit _conv2Reduce;
    private readonly BnInceptionUnit _conv2;
    private readonly MaxPool2d _pool2;
    private readonly BnInceptionBlock[] _blocks;
    private readonly Linear _lastLinear;

    /// <summary>Builds the network with PyTorch's default initialisation.</summary>
    public BnInceptionModel(ZooOptions options)
        : base("bninception")
    {
        ArgumentNullException.ThrowIfNull(options);

        // Registration order is Cadene's attribute order, which is its state-dict order.
        _conv1 = BnInceptionUnit.Register(this, "conv1_7x7_s2", "conv1_relu_7x7", 3, 64, 7, stride: 2, padding: 3);
        _pool1 = nn.MaxPool2d(3, stride: 2, ceil_mode: true);
        register_module("pool1_3x3_s2", _pool1);
        _conv2Reduce = BnInceptionUnit.Register(this, "conv2_3x3_reduce", "conv2_relu_3x3_reduce", 64, 64, 1);
        _conv2 = BnInceptionUnit.Register(this, "conv2_3x3", "conv2_relu_3x3", 64, 192, 3, padding: 1);
        _pool2 = nn.MaxPool2d(3, stride: 2, ceil_mode: true);
        register_module("pool2_3x3_s2", _pool2);

        const BnInceptionPooling avg = BnInceptionPooling.Average;
        const BnInceptionPooling reduce = BnInceptionPooling.Reduction;
        _blocks =
        [
            new(this, "inception_3a", 192, 64, 64, 64, 64, 96, 32, avg),
            new(this, "inception_3b", 256, 64, 64, 96, 64, 96, 64, avg),
            new(this, "inception_3c", 320, 0, 128, 160, 64, 96, 0, reduce),
            new(this, "inception_4a", 576, 224, 64, 96, 96, 128, 128, avg),
            new(this, "inception_4b", 576, 192, 96, 128, 96, 128, 128, avg),
            new(this, "inception_4c", 576, 160, 128, 160, 128, 160, 128, avg),
            new(this, "inception_4d", 608, 96, 128, 192, 160, 192, 128, avg),
            new(this, "inception_4e", 608, 0, 128, 192, 192, 256, 0, reduce),
            new(this, "inception_5a", 1056, 352, 192, 320, 160, 224, 128, avg),
            new(this, "inception_5b", 1024, 352, 192, 320, 192, 224, 128, BnInceptionPooling.Max),
        ];
        _lastLinear = nn.Linear(1024, options.Classes ?? 1000);
        register_module("last_linear", _lastLinear);
    }

    /// <summary>Registers nothing: the constructor registered every submodule under Cadene's name (see <see cref="Blocks.ExplicitModule"/>).</summary>
    protected override void RegisterComponents()
    {
    }

    /// <summary>Cadene's <c>features</c>: the output of inception_5b (N x 1024 x 7 x 7 at 224).</summary>
    public Tensor Features(Tensor input)
    {
        Tensor x = _pool1.call(_conv1.Apply(input));
        x = _pool2.call(_conv2.Apply(_conv2Reduce.Apply(x)));
        foreach (BnInceptionBlock block in _blocks)
        {
            x = block.Apply(x);
        }

        return x;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor features = Features(input);
        long window = features.shape[2];
        Tensor pooled = nn.functional.avg_pool2d(features, [window, window]);
        return _lastLinear.call(pooled.view(pooled.shape[0], -1));
    }
}
