namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>The auto_pad modes of Conv, ConvTranspose and the pooling operators.</summary>
internal enum AutoPad
{
    /// <summary>Use the explicit <c>pads</c> attribute.</summary>
    NotSet,

    /// <summary>Output size ceil(in / stride); an odd total padding puts the extra pixel at the end.</summary>
    SameUpper,

    /// <summary>Output size ceil(in / stride); an odd total padding puts the extra pixel at the start.</summary>
    SameLower,

    /// <summary>No padding.</summary>
    Valid,
}

/// <summary>Kernel, stride, dilation and padding of a sliding-window operator over N spatial axes.</summary>
internal sealed class SpatialGeometry
{
    /// <summary>Largest kernel, stride, dilation or pad accepted; beyond it a value is taken for corruption.</summary>
    /// <remarks>Without a bound a damaged file could ask for a padded tensor of terabytes when the graph is built.</remarks>
    public const long MaxWindowValue = 1 << 16;

    /// <summary>Largest stride or dilation accepted.</summary>
    /// <remarks>
    /// Real models stay far below it; above a few thousand, libtorch's oneDNN transposed convolution was seen to
    /// abort the process (segfault or an uncaught C++ exception) instead of raising an error.
    /// </remarks>
    public const long MaxStride = 1 << 10;

    public SpatialGeometry(long[] kernel, long[] strides, long[] dilations, long[] pads, AutoPad autoPad)
    {
        Kernel = kernel;
        Strides = strides;
        Dilations = dilations;
        Pads = pads;
        AutoPad = autoPad;
    }

    /// <summary>Kernel size per spatial axis.</summary>
    public long[] Kernel { get; }

    /// <summary>Stride per spatial axis.</summary>
    public long[] Strides { get; }

    /// <summary>Dilation per spatial axis.</summary>
    public long[] Dilations { get; }

    /// <summary>Explicit pads, ONNX order: all begins, then all ends.</summary>
    public long[] Pads { get; }

    /// <summary>The padding mode; <see cref="RecomputeAs"/> may change it from NotSet to a SAME mode.</summary>
    public AutoPad AutoPad { get; private set; }

    /// <summary>Number of spatial axes.</summary>
    public int Rank => Kernel.Length;

    /// <summary>Whether explicit pads differ between start and end on some axis, the mark of baked-in "same" padding.</summary>
    public bool HasAsymmetricPads => AutoPad == AutoPad.NotSet && Enumerable.Range(0, Rank).Any(i => Pads[i] != Pads[i + Rank]);

    /// <summary>Reads auto_pad, pads, strides and dilations for a window of <paramref name="kernel"/>, validating them.</summary>
    public static SpatialGeometry Read(OnnxNodeContext ctx, long[] kernel, bool hasDilations = true)
    {
        int n = kernel.Length;
        long[] strides = ctx.Ints("strides") ?? Enumerable.Repeat(1L, n).ToArray();
        long[] dilations = (hasDilations ? ctx.Ints("dilations") : null) ?? Enumerable.Repeat(1L, n).ToArray();
        long[] pads = ctx.Ints("pads") ?? new long[2 * n];
        string mode = ctx.String("auto_pad", "NOTSET");
        AutoPad autoPad = mode switch
        {
            "NOTSET" or "" => AutoPad.NotSet,
            "SAME_UPPER" => AutoPad.SameUpper,
            "SAME_LOWER" => AutoPad.SameLower,
            "VALID" => AutoPad.Valid,
            _ => throw ctx.Unsupported($"auto_pad '{mode}' is not supported"),
        };
        Check(ctx, "kernel_shape", kernel, n, 1);
        Check(ctx, "strides", strides, n, 1, MaxStride);
        Check(ctx, "dilations", dilations, n, 1, MaxStride);
        Check(ctx, "pads", pads, 2 * n, 0);
        return new SpatialGeometry(kernel, strides, dilations, pads, autoPad);
    }

    /// <summary>Rejects lists of the wrong length and values outside <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static void Check(OnnxNodeContext ctx, string name, long[] values, int length, long min, long max = MaxWindowValue)
    {
        if (values.Length != length)
        {
            throw ctx.Invalid($"'{name}' has {values.Length} values, expected {length}");
        }

        if (values.Any(v => v < min || v > max))
        {
            throw ctx.Invalid($"'{name}' [{string.Join(",", values)}] has a value outside {min}..{max}");
        }
    }

    /// <summary>The kernel's extent once dilated.</summary>
    public long EffectiveKernel(int axis) => ((Kernel[axis] - 1) * Dilations[axis]) + 1;

    /// <summary>The padding at the start and the end of each spatial axis for an input of <paramref name="input"/> size.</summary>
    public (long[] Begin, long[] End) Resolve(ReadOnlySpan<long> input) => Resolve(input, AutoPad);

    /// <summary>
    /// Switches explicit asymmetric pads to the SAME mode that produces them for <paramref name="declaredInput"/>,
    /// if there is one; returns that mode, or null when the pads are not "same" padding for that size.
    /// </summary>
    public AutoPad? RecomputeAs(ReadOnlySpan<long> declaredInput)
    {
        if (!HasAsymmetricPads)
        {
            return null;
        }

        foreach (AutoPad mode in new[] { AutoPad.SameLower, AutoPad.SameUpper })
        {
            (long[] begin, long[] end) = Resolve(declaredInput, mode);
            if (begin.SequenceEqual(Pads.Take(Rank)) && end.SequenceEqual(Pads.Skip(Rank)))
            {
                AutoPad = mode;
                return mode;
            }
        }

        return null;
    }

    private (long[] Begin, long[] End) Resolve(ReadOnlySpan<long> input, AutoPad mode)
    {
        var begin = new long[Rank];
        var end = new long[Rank];
        for (int i = 0; i < Rank; i++)
        {
            switch (mode)
            {
                case AutoPad.NotSet:
                    begin[i] = Pads[i];
                    end[i] = Pads[i + Rank];
                    break;
                case AutoPad.SameUpper or AutoPad.SameLower:
                    long output = (input[i] + Strides[i] - 1) / Strides[i];
                    long total = Math.Max(0, ((output - 1) * Strides[i]) + EffectiveKernel(i) - input[i]);
                    long small = total / 2;
                    begin[i] = mode == AutoPad.SameUpper ? small : total - small;
                    end[i] = total - begin[i];
                    break;
                default:
                    break;
            }
        }

        return (begin, end);
    }
}
