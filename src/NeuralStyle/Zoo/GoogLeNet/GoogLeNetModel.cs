using NeuralStyle.Zoo.Blocks;
using NeuralStyle.Zoo.Inception;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.GoogLeNet;

/// <summary>torchvision 0.14's GoogLeNet (Inception v1), with its state-dict keys, including the auxiliary heads aux1 and aux2.</summary>
/// <remarks>
/// The heads exist when <see cref="ZooOptions.AuxiliaryHeads"/> is set and run in training mode only, through
/// <see cref="ForwardAll"/>; <c>forward</c> returns the main logits and never runs them. Dropout before fc is
/// torchvision's 0.2 (the paper has 0.4).
/// </remarks>
public sealed class GoogLeNetModel : ZooModel
{
    private readonly BasicConv2d _conv1;
    private readonly MaxPool2d _maxpool1;
    private readonly BasicConv2d _conv2;
    private readonly BasicConv2d _conv3;
    private readonly MaxPool2d _maxpool2;
    private readonly GoogLeNetInception _inception3a;
    private readonly GoogLeNetInception _inception3b;
    private readonly MaxPool2d _maxpool3;
    private readonly GoogLeNetInception _inception4a;
    private readonly GoogLeNetInception _inception4b;
    private readonly GoogLeNetInception _inception4c;
    private readonly GoogLeNetInception _inception4d;
    private readonly GoogLeNetInception _inception4e;
    private readonly MaxPool2d _maxpool4;
    private readonly GoogLeNetInception _inception5a;
    private readonly GoogLeNetInception _inception5b;
    private readonly GoogLeNetAux? _aux1;
    private readonly GoogLeNetAux? _aux2;
    private readonly AdaptiveAvgPool2d _avgpool;
    private readonly ZooDropout _dropout;
    private readonly Linear _fc;
    private readonly bool _transformInput;

    /// <summary>Builds the network with torchvision's initialisation (truncated normal, std 0.01, for every convolution and linear weight).</summary>
    public GoogLeNetModel(ZooOptions options)
        : base("googlenet")
    {
        ArgumentNullException.ThrowIfNull(options);
        long classes = options.Classes ?? 1000;
        _transformInput = options.TransformInput;

        // Registration order is torchvision's attribute order, which is its state-dict order.
        _conv1 = Register("conv1", new BasicConv2d(3, 64, 7, stride: 2, padding: 3));
        _maxpool1 = Register("maxpool1", nn.MaxPool2d(3, stride: 2, ceil_mode: true));
        _conv2 = Register("conv2", new BasicConv2d(64, 64, 1));
        _conv3 = Register("conv3", new BasicConv2d(64, 192, 3, padding: 1));
        _maxpool2 = Register("maxpool2", nn.MaxPool2d(3, stride: 2, ceil_mode: true));
        _inception3a = Register("inception3a", new GoogLeNetInception(192, 64, 96, 128, 16, 32, 32));
        _inception3b = Register("inception3b", new GoogLeNetInception(256, 128, 128, 192, 32, 96, 64));
        _maxpool3 = Register("maxpool3", nn.MaxPool2d(3, stride: 2, ceil_mode: true));
        _inception4a = Register("inception4a", new GoogLeNetInception(480, 192, 96, 208, 16, 48, 64));
        _inception4b = Register("inception4b", new GoogLeNetInception(512, 160, 112, 224, 24, 64, 64));
        _inception4c = Register("inception4c", new GoogLeNetInception(512, 128, 128, 256, 24, 64, 64));
        _inception4d = Register("inception4d", new GoogLeNetInception(512, 112, 144, 288, 32, 64, 64));
        _inception4e = Register("inception4e", new GoogLeNetInception(528, 256, 160, 320, 32, 128, 128));
        _maxpool4 = Register("maxpool4", nn.MaxPool2d(2, stride: 2, ceil_mode: true));
        _inception5a = Register("inception5a", new GoogLeNetInception(832, 256, 160, 320, 32, 128, 128));
        _inception5b = Register("inception5b", new GoogLeNetInception(832, 384, 192, 384, 48, 128, 128));
        if (options.AuxiliaryHeads)
        {
            _aux1 = Register("aux1", new GoogLeNetAux(512, classes));
            _aux2 = Register("aux2", new GoogLeNetAux(528, classes));
        }

        _avgpool = Register("avgpool", nn.AdaptiveAvgPool2d((1, 1)));
        _dropout = Register("dropout", new ZooDropout(0.2));
        _fc = Register("fc", nn.Linear(1024, classes));
        TorchvisionInit.TruncatedNormal(this, _ => 0.01);
    }

    /// <summary>
    /// The logits and, in training mode with the heads built, the heads' logits as
    /// [("aux2", aux2's output), ("aux1", aux1's output)].
    /// </summary>
    /// <remarks>
    /// The order is that of torchvision's GoogLeNetOutputs(logits, aux_logits2, aux_logits1). Each name is the head
    /// that computed the tensor. Beware when comparing with torchvision 0.14 itself: its forward swaps the two, so its
    /// <c>aux_logits2</c> field actually holds aux1's output and <c>aux_logits1</c> aux2's (checked by running it).
    /// </remarks>
    public override ZooOutput ForwardAll(Tensor input) => Run(input, training && _aux1 is not null);

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Run(input, withAuxiliary: false).Main;

    /// <summary>Registers nothing: the constructor registered every submodule under torchvision's name (see <see cref="Blocks.ExplicitModule"/>).</summary>
    protected override void RegisterComponents()
    {
    }

    private ZooOutput Run(Tensor input, bool withAuxiliary)
    {
        Tensor x = _transformInput ? TorchvisionInputTransform.Apply(input) : input;
        x = _maxpool1.call(_conv1.call(x));
        x = _maxpool2.call(_conv3.call(_conv2.call(x)));
        x = _maxpool3.call(_inception3b.call(_inception3a.call(x)));
        x = _inception4a.call(x);
        Tensor? aux1 = withAuxiliary ? _aux1!.call(x) : null;
        x = _inception4d.call(_inception4c.call(_inception4b.call(x)));
        Tensor? aux2 = withAuxiliary ? _aux2!.call(x) : null;
        x = _maxpool4.call(_inception4e.call(x));
        x = _inception5b.call(_inception5a.call(x));
        x = _fc.call(_dropout.call(flatten(_avgpool.call(x), 1)));
        return aux1 is null || aux2 is null
            ? new ZooOutput(x, [])
            : new ZooOutput(x, [new("aux2", aux2), new("aux1", aux1)]);
    }

    private T Register<T>(string name, T module)
        where T : nn.Module
    {
        register_module(name, module);
        return module;
    }
}
