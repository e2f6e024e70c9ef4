using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using NeuralStyle.Zoo.Blocks;

namespace NeuralStyle.Zoo.ResNet;

/// <summary>torchvision's ResNet: 7x7/2 stem, max-pool, four stages of residual blocks (64/128/256/512 planes), global average pool, fc.</summary>
/// <remarks>
/// State-dict keys are torchvision's (<c>conv1</c>, <c>bn1</c>, <c>layer1.0.conv1</c>, <c>layer2.0.downsample.0</c>,
/// <c>fc</c>). Initialisation is torchvision's: He normal (fan out, ReLU gain) for convolutions, batch-norm scale 1 and
/// shift 0, and PyTorch's default for the fc layer.
/// </remarks>
public sealed class ResNetModel : ZooModel
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly ReLU _relu;
    private readonly MaxPool2d _maxpool;
    private readonly Sequential[] _layers;
    private readonly AdaptiveAvgPool2d _avgpool;
    private readonly Linear _fc;

    /// <summary>Builds a ResNet with <paramref name="blocks"/> blocks per stage, of bottleneck or basic kind.</summary>
    public ResNetModel(string name, bool bottleneck, IReadOnlyList<int> blocks, int classes)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count != 4 || blocks.Any(b => b < 1))
        {
            throw new ArgumentException("a ResNet has four stages of at least one block each", nameof(blocks));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        _conv1 = nn.Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
        _bn1 = nn.BatchNorm2d(64);
        _relu = nn.ReLU(inplace: true);
        _maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("relu", _relu);
        register_module("maxpool", _maxpool);

        int expansion = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        long inplanes = 64;
        _layers = new Sequential[4];
        for (int stage = 0; stage < 4; stage++)
        {
            long planes = 64L << stage;
            _layers[stage] = Stage(bottleneck, ref inplanes, planes, expansion, blocks[stage], stride: stage == 0 ? 1 : 2);
            register_module($"layer{stage + 1}", _layers[stage]);
        }

        _avgpool = nn.AdaptiveAvgPool2d(1);
        _fc = nn.Linear(512L * expansion, classes);
        register_module("avgpool", _avgpool);
        register_module("fc", _fc);
        Initialise();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = _maxpool.call(_relu.call(_bn1.call(_conv1.call(input))));
        foreach (Sequential layer in _layers)
        {
            x = layer.call(x);
        }

        x = _avgpool.call(x).flatten(1);
        return _fc.call(x).MoveToOuterDisposeScope();
    }

    private static Sequential Stage(bool bottleneck, ref long inplanes, long planes, int expansion, int count, long stride)
    {
        var blocks = new (string, nn.Module<Tensor, Tensor>)[count];
        for (int i = 0; i < count; i++)
        {
            long blockStride = i == 0 ? stride : 1;
            Sequential? downsample = null;
            if (i == 0 && (stride != 1 || inplanes != planes * expansion))
            {
                downsample = nn.Sequential(
                    ("0", nn.Conv2d(inplanes, planes * expansion, 1, stride: stride, bias: false)),
                    ("1", nn.BatchNorm2d(planes * expansion)));
            }

            blocks[i] = (i.ToString(System.Globalization.CultureInfo.InvariantCulture), bottleneck
                ? new Bottleneck(inplanes, planes, blockStride, downsample)
                : new BasicBlock(inplanes, planes, blockStride, downsample));
            inplanes = planes * expansion;
        }

        return nn.Sequential(blocks);
    }

    private void Initialise()
    {
        using var noGrad = no_grad();
        foreach ((string _, nn.Module module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    ZooInit.KaimingNormalFanOut(conv.weight);
                    break;
                case BatchNorm2d bn:
                    ZooInit.Constant(bn.weight!, 1);
                    ZooInit.Constant(bn.bias!, 0);
                    break;
            }
        }
    }

    /// <summary>Does nothing: submodules are registered explicitly under PyTorch's names, and TorchSharp's field reflection would add them again under the field names.</summary>
    protected override void RegisterComponents()
    {
    }
}
