using NeuralStyle.Zoo.ResNet;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.ENet;

/// <summary>ENet (Paszke et al. 2016) as davidtvs/PyTorch-ENet builds it (<c>models/enet.py</c>): its module names, hence its state-dict keys.</summary>
/// <remarks>
/// Encoder: initial block, stage 1 (downsampling 1.0, four regular), stages 2 and 3 (regular, dilated 2/4/8/16 and
/// asymmetric 5 bottlenecks; 2.0 downsamples). Decoder: upsampling 4.0 unpools with 2.0's indices, 5.0 with 1.0's,
/// then a 3x3/2 transposed convolution to the classes at the input's size. The port's choices are kept: encoder PReLU
/// with one slope per layer, decoder ReLU, no biases. Output: N x classes x H x W, logits.
/// </remarks>
public sealed class ENetModel : ZooModel
{
    private readonly InitialBlock _initial;
    private readonly DownsamplingBottleneck _down1;
    private readonly RegularBottleneck[] _stage1;
    private readonly DownsamplingBottleneck _down2;
    private readonly RegularBottleneck[] _stages23;
    private readonly UpsamplingBottleneck _up4;
    private readonly RegularBottleneck[] _stage4;
    private readonly UpsamplingBottleneck _up5;
    private readonly RegularBottleneck _regular51;
    private readonly SizedConvTranspose2d _final;

    /// <summary>Builds ENet for <paramref name="classes"/> classes.</summary>
    public ENetModel(int classes)
        : base("enet")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        const bool encoderRelu = false;
        const bool decoderRelu = true;
        _initial = Register("initial_block", new InitialBlock(3, 16, encoderRelu));

        _down1 = Register("downsample1_0", new DownsamplingBottleneck(16, 64, 0.01, encoderRelu));
        _stage1 = [.. Enumerable.Range(1, 4).Select(i => Register($"regular1_{i}", new RegularBottleneck(64, 0.01, encoderRelu)))];

        _down2 = Register("downsample2_0", new DownsamplingBottleneck(64, 128, 0.1, encoderRelu));
        var middle = new List<RegularBottleneck>();
        foreach (int stage in new[] { 2, 3 })
        {
            // Stage 2 numbers its bottlenecks 2.1 .. 2.8 after 2.0; stage 3 has no downsampling and counts from 3.0.
            int first = stage == 2 ? 1 : 0;
            middle.Add(Register($"regular{stage}_{first}", new RegularBottleneck(128, 0.1, encoderRelu)));
            middle.Add(Register($"dilated{stage}_{first + 1}", new RegularBottleneck(128, 0.1, encoderRelu, padding: 2, dilation: 2)));
            middle.Add(Register($"asymmetric{stage}_{first + 2}", new RegularBottleneck(128, 0.1, encoderRelu, kernel: 5, padding: 2, asymmetric: true)));
            middle.Add(Register($"dilated{stage}_{first + 3}", new RegularBottleneck(128, 0.1, encoderRelu, padding: 4, dilation: 4)));
            middle.Add(Register($"regular{stage}_{first + 4}", new RegularBottleneck(128, 0.1, encoderRelu)));
            middle.Add(Register($"dilated{stage}_{first + 5}", new RegularBottleneck(128, 0.1, encoderRelu, padding: 8, dilation: 8)));
            middle.Add(Register($"asymmetric{stage}_{first + 6}", new RegularBottleneck(128, 0.1, encoderRelu, kernel: 5, padding: 2, asymmetric: true)));
            middle.Add(Register($"dilated{stage}_{first + 7}", new RegularBottleneck(128, 0.1, encoderRelu, padding: 16, dilation: 16)));
        }

        _stages23 = [.. middle];

        _up4 = Register("upsample4_0", new UpsamplingBottleneck(128, 64, 0.1, decoderRelu));
        _stage4 = [.. Enumerable.Range(1, 2).Select(i => Register($"regular4_{i}", new RegularBottleneck(64, 0.1, decoderRelu)))];
        _up5 = Register("upsample5_0", new UpsamplingBottleneck(64, 16, 0.1, decoderRelu));
        _regular51 = Register("regular5_1", new RegularBottleneck(16, 0.1, decoderRelu));
        _final = Register("transposed_conv", new SizedConvTranspose2d(16, classes, kernel: 3, stride: 2, padding: 1));
        Classes = classes;
    }

    /// <summary>Output classes (channels of the output map).</summary>
    public int Classes { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        long[] inputSize = input.shape;
        Tensor x = _initial.call(input);

        long[] stage1Size = x.shape;
        (x, Tensor indices1) = _down1.call(x);
        foreach (RegularBottleneck block in _stage1)
        {
            x = block.call(x);
        }

        long[] stage2Size = x.shape;
        (x, Tensor indices2) = _down2.call(x);
        foreach (RegularBottleneck block in _stages23)
        {
            x = block.call(x);
        }

        x = _up4.call(x, indices2, stage2Size);
        foreach (RegularBottleneck block in _stage4)
        {
            x = block.call(x);
        }

        x = _up5.call(x, indices1, stage1Size);
        x = _regular51.call(x);
        _final.OutputSize = inputSize[^2..];
        return _final.call(x).MoveToOuterDisposeScope();
    }

    /// <summary>The state dict in PyTorch's order (each module's parameters, then its buffers, then its children).</summary>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null) =>
        PyTorchStateOrder.StateDict(this, destination, prefix);

    private T Register<T>(string name, T module)
        where T : nn.Module
    {
        register_module(name, module);
        return module;
    }

    /// <summary>Does nothing: submodules are registered explicitly under PyTorch's names, and TorchSharp's field reflection would add them again under the field names.</summary>
    protected override void RegisterComponents()
    {
    }
}
