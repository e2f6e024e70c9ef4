using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using NeuralStyle.Zoo.Blocks;

namespace NeuralStyle.Zoo.ENet;

/// <summary>ENet's upsampling bottleneck: (1x1 conv, batch norm, max-unpool with the encoder's indices) plus (1x1 projection, 2x2/2 transposed conv, 1x1 expansion, spatial dropout), then activation.</summary>
/// <remarks>Called with the matching downsampling bottleneck's indices and the size of that bottleneck's input (N, C, H, W).</remarks>
public sealed class UpsamplingBottleneck : nn.Module<Tensor, Tensor, long[], Tensor>
{
    private readonly Sequential _mainConv;
    private readonly SizedMaxUnpool2d _unpool;
    private readonly Sequential _conv1;
    private readonly SizedConvTranspose2d _tconv;
    private readonly BatchNorm2d _tconvNorm;
    private readonly nn.Module<Tensor, Tensor> _tconvActivation;
    private readonly Sequential _conv2;
    private readonly ZooDropout _regul;
    private readonly nn.Module<Tensor, Tensor> _activation;

    /// <summary>Creates the block (internal width in / 4).</summary>
    public UpsamplingBottleneck(long inChannels, long outChannels, double dropout, bool relu)
        : base(nameof(UpsamplingBottleneck))
    {
        long inner = inChannels / 4;
        _mainConv = Activations.ConvBn(nn.Conv2d(inChannels, outChannels, 1, bias: false), outChannels, relu: null);
        _unpool = new SizedMaxUnpool2d();
        _conv1 = Activations.ConvBn(nn.Conv2d(inChannels, inner, 1, bias: false), inner, relu);
        _tconv = new SizedConvTranspose2d(inner, inner, kernel: 2, stride: 2, padding: 0);
        _tconvNorm = nn.BatchNorm2d(inner);
        _tconvActivation = Activations.Create(relu);
        _conv2 = Activations.ConvBn(nn.Conv2d(inner, outChannels, 1, bias: false), outChannels, relu: null);
        _regul = new ZooDropout(dropout, channels: true);
        _activation = Activations.Create(relu);
        register_module("main_conv1", _mainConv);
        register_module("main_unpool1", _unpool);
        register_module("ext_conv1", _conv1);
        register_module("ext_tconv1", _tconv);
        register_module("ext_tconv1_bnorm", _tconvNorm);
        register_module("ext_tconv1_activation", _tconvActivation);
        register_module("ext_conv2", _conv2);
        register_module("ext_regul", _regul);
        register_module("out_activation", _activation);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor indices, long[] outputSize)
    {
        ArgumentNullException.ThrowIfNull(outputSize);
        using var scope = NewDisposeScope();
        long[] spatial = outputSize[^2..];
        Tensor main = _unpool.call(_mainConv.call(input), indices, spatial);
        _tconv.OutputSize = spatial;
        Tensor ext = _tconvActivation.call(_tconvNorm.call(_tconv.call(_conv1.call(input))));
        ext = _regul.call(_conv2.call(ext));
        return _activation.call(main.add(ext)).MoveToOuterDisposeScope();
    }

    /// <summary>Does nothing: submodules are registered explicitly under PyTorch's names, and TorchSharp's field reflection would add them again under the field names.</summary>
    protected override void RegisterComponents()
    {
    }
}
