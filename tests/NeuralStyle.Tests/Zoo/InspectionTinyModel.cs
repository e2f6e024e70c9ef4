using NeuralStyle.Zoo;
using NeuralStyle.Zoo.Inspection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary>
/// A test-only zoo model whose figures are worked out by hand (input 3x8x8): a plain convolution, a grouped one, a
/// 1x1 convolution called twice, a transposed convolution inside a named container, a custom module that counts its
/// own multiply-adds, a Linear, and an auxiliary head that only runs in training mode.
/// </summary>
internal sealed class InspectionTinyModel : ZooModel
{
    public static readonly InputShape Input = new(3, 8, 8);

    // Hand-computed multiply-adds per image, in execution order of the counting modules.
    public const long StemConv = 8 * 8 * 8 * 3 * 9;        // output 8x8x8, in 3, 3x3
    public const long Grouped = 8 * 4 * 4 * (8 / 4) * 9;   // output 8x4x4, in 8 / groups 4, 3x3
    public const long Mix = 8 * 4 * 4 * 8;                 // output 8x4x4, in 8, 1x1 (runs twice)
    public const long Transposed = 8 * 4 * 4 * 4 * 2 * 2;  // input 8x4x4, out 4, 2x2
    public const long GainMacs = 4 * 8 * 8;                // one multiply per element
    public const long Fc = 5 * 4;                          // 5 outputs, 4 inputs
    public const long TotalMultiplyAdds = StemConv + Grouped + (2 * Mix) + Transposed + GainMacs + Fc;

    // Parameters: 8*3*9+8, 8*2*9+8, 8*8+8, 8*4*2*2+4, BN 4+4, gain 4, fc 4*5+5, aux 4*2+2.
    public const long TotalParameters = 224 + 152 + 72 + 132 + 8 + 4 + 25 + 10;

    private readonly Sequential stem;
    private readonly Conv2d grouped;
    private readonly Conv2d mix;
    private readonly Sequential block;
    private readonly Gain gain;
    private readonly AdaptiveAvgPool2d pool;
    private readonly Linear fc;
    private readonly Linear aux;

    public InspectionTinyModel()
        : base("tiny")
    {
        stem = nn.Sequential(("0", nn.Conv2d(3, 8, 3, padding: 1)), ("1", nn.ReLU()), ("2", nn.MaxPool2d(2)));
        grouped = nn.Conv2d(8, 8, 3, padding: 1, groups: 4);
        mix = nn.Conv2d(8, 8, 1);
        block = nn.Sequential(("conv", nn.ConvTranspose2d(8, 4, 2, stride: 2)), ("bn", nn.BatchNorm2d(4)));
        gain = new Gain(4);
        pool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(4, 5);
        aux = nn.Linear(4, 2);
        RegisterComponents();
    }

    /// <summary>The aux head's output of the last training-mode forward.</summary>
    public Tensor? LastAux { get; private set; }

    public override Tensor forward(Tensor input)
    {
        Tensor x = stem.call(input);
        x = grouped.call(x);
        x = mix.call(mix.call(x));
        x = gain.call(block.call(x));
        Tensor flat = pool.call(x).flatten(1);
        if (training)
        {
            LastAux = aux.call(flat);
        }

        return fc.call(flat);
    }

    /// <summary>Per-channel scale with its own parameter, counting one multiply-add per output element.</summary>
    private sealed class Gain : nn.Module<Tensor, Tensor>, IMultiplyAddCounting
    {
        private readonly Parameter weight;

        public Gain(int channels)
            : base("Gain")
        {
            weight = nn.Parameter(ones(channels));
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => input * weight.view(1, -1, 1, 1);

        public long MultiplyAddsPerImage(Tensor input, Tensor output) => output.numel() / output.shape[0];
    }
}
