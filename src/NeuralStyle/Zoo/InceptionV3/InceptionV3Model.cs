using NeuralStyle.Zoo.Blocks;
using NeuralStyle.Zoo.Inception;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.InceptionV3;

/// <summary>torchvision 0.14's Inception3 (Inception v3), with its state-dict keys, including the AuxLogits head.</summary>
/// <remarks>
/// AuxLogits exists when <see cref="ZooOptions.AuxiliaryHeads"/> is set and runs in training mode only, through
/// <see cref="ForwardAll"/> (TorchVision .NET builds the head but never calls it); <c>forward</c> returns the main
/// logits and never runs it. Canonical input 3 x 299 x 299; the smallest input torchvision accepts is 75 x 75.
/// </remarks>
public sealed class InceptionV3Model : ZooModel
{
    private readonly BasicConv2d _conv2d1a;
    private readonly BasicConv2d _conv2d2a;
    private readonly BasicConv2d _conv2d2b;
    private readonly MaxPool2d _maxpool1;
    private readonly BasicConv2d _conv2d3b;
    private readonly BasicConv2d _conv2d4a;
    private readonly MaxPool2d _maxpool2;
    private readonly nn.Module<Tensor, Tensor>[] _mixed5b6e;
    private readonly InceptionAux? _auxLogits;
    private readonly nn.Module<Tensor, Tensor>[] _mixed7;
    private readonly AdaptiveAvgPool2d _avgpool;
    private readonly ZooDropout _dropout;
    private readonly Linear _fc;
    private readonly bool _transformInput;

    /// <summary>Builds the network with torchvision's initialisation (truncated normal, std 0.1, 0.001 for AuxLogits.fc).</summary>
    public InceptionV3Model(ZooOptions options)
        : base("inception_v3")
    {
        ArgumentNullException.ThrowIfNull(options);
        long classes = options.Classes ?? 1000;
        _transformInput = options.TransformInput;

        // Registration order is torchvision's attribute order, which is its state-dict order.
        _conv2d1a = Register("Conv2d_1a_3x3", new BasicConv2d(3, 32, 3, stride: 2));
        _conv2d2a = Register("Conv2d_2a_3x3", new BasicConv2d(32, 32, 3));
        _conv2d2b = Register("Conv2d_2b_3x3", new BasicConv2d(32, 64, 3, padding: 1));
        _maxpool1 = Register("maxpool1", nn.MaxPool2d(3, stride: 2));
        _conv2d3b = Register("Conv2d_3b_1x1", new BasicConv2d(64, 80, 1));
        _conv2d4a = Register("Conv2d_4a_3x3", new BasicConv2d(80, 192, 3));
        _maxpool2 = Register("maxpool2", nn.MaxPool2d(3, stride: 2));
        _mixed5b6e =
        [
            Register("Mixed_5b", new InceptionA(192, poolFeatures: 32)),
            Register("Mixed_5c", new InceptionA(256, poolFeatures: 64)),
            Register("Mixed_5d", new InceptionA(288, poolFeatures: 64)),
            Register("Mixed_6a", new InceptionB(288)),
            Register("Mixed_6b", new InceptionC(768, channels7x7: 128)),
            Register("Mixed_6c", new InceptionC(768, channels7x7: 160)),
            Register("Mixed_6d", new InceptionC(768, channels7x7: 160)),
            Register("Mixed_6e", new InceptionC(768, channels7x7: 192)),
        ];
        if (options.AuxiliaryHeads)
        {
            _auxLogits = Register("AuxLogits", new InceptionAux(768, classes));
        }

        _mixed7 =
        [
            Register("Mixed_7a", new InceptionD(768)),
            Register("Mixed_7b", new InceptionE(1280)),
            Register("Mixed_7c", new InceptionE(2048)),
        ];
        _avgpool = Register("avgpool", nn.AdaptiveAvgPool2d((1, 1)));
        _dropout = Register("dropout", new ZooDropout(0.5));
        _fc = Register("fc", nn.Linear(2048, classes));

        // torchvision also marks AuxLogits.conv1 with stddev 0.01, but on the BasicConv2d rather than on its Conv2d,
        // so that convolution gets the default 0.1 like every other: we reproduce what it does, not what it says.
        TorchvisionInit.TruncatedNormal(this, name => name == "AuxLogits.fc" ? 0.001 : 0.1);
    }

    /// <summary>The logits and, in training mode with the head built, [("AuxLogits", its logits)] (torchvision's InceptionOutputs(logits, aux_logits)).</summary>
    public override ZooOutput ForwardAll(Tensor input) => Run(input, training && _auxLogits is not null);

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Run(input, withAuxiliary: false).Main;

    /// <summary>Registers nothing: the constructor registered every submodule under torchvision's name (see <see cref="Blocks.ExplicitModule"/>).</summary>
    protected override void RegisterComponents()
    {
    }

    private ZooOutput Run(Tensor input, bool withAuxiliary)
    {
        Tensor x = _transformInput ? TorchvisionInputTransform.Apply(input) : input;
        x = _maxpool1.call(_conv2d2b.call(_conv2d2a.call(_conv2d1a.call(x))));
        x = _maxpool2.call(_conv2d4a.call(_conv2d3b.call(x)));
        foreach (nn.Module<Tensor, Tensor> block in _mixed5b6e)
        {
            x = block.call(x);
        }

        Tensor? aux = withAuxiliary ? _auxLogits!.call(x) : null;
        foreach (nn.Module<Tensor, Tensor> block in _mixed7)
        {
            x = block.call(x);
        }

        x = _fc.call(flatten(_dropout.call(_avgpool.call(x)), 1));
        return aux is null ? new ZooOutput(x, []) : new ZooOutput(x, [new("AuxLogits", aux)]);
    }

    private T Register<T>(string name, T module)
        where T : nn.Module
    {
        register_module(name, module);
        return module;
    }
}
