namespace NeuralStyle.Weights.Onnx;

/// <summary>How <see cref="OnnxGraph"/> interprets a model.</summary>
public sealed record OnnxImportOptions
{
    /// <summary>The defaults: <see cref="RecomputeSamePadding"/> on.</summary>
    public static OnnxImportOptions Default { get; } = new();

    /// <summary>
    /// Whether explicit pads that are really "same" padding baked in for the declared input size are recomputed
    /// for the actual input size (default true).
    /// </summary>
    /// <remarks>
    /// <para>CNTK (and some other exporters) write a "same"-padded Conv or pooling window as explicit pads computed
    /// for the model's declared input size. Those pads are asymmetric whenever the total padding is odd, e.g.
    /// [3,3,2,2] for a 7x7/2 convolution on 224x224, and are wrong for other sizes.</para>
    /// <para>The rule: a Conv, MaxPool or AveragePool node with auto_pad NOTSET is switched to SAME_LOWER (or
    /// SAME_UPPER) when (1) its pads differ between start and end on at least one spatial axis and (2) on every
    /// spatial axis (start, end) equals what SAME_LOWER (or SAME_UPPER) gives for the input size that reaches the
    /// node when the whole graph runs at its declared input size (zeros, no gradient, once while the graph is
    /// built; a symbolic batch dimension counts as 1). SAME_LOWER is tried first. Symmetric pads are always kept
    /// as written: for odd kernels and stride 1 or 2 they give the same result as the SAME modes at any size, and
    /// treating them as "same" would misread PyTorch exports. Nothing is recomputed when an input's declared
    /// shape has a symbolic dimension other than the first. <see cref="OnnxGraph.RecomputedPadding"/> lists the
    /// nodes that were switched.</para>
    /// <para>SAME_LOWER is what CNTK's centred kernels amount to for odd kernels with stride up to 2: the
    /// extra pixel goes first (ResNet-18's conv1 7x7/2 on 224: 3 before, 2 after; its 3x3/2 max-pool on 112:
    /// 1 before, 0 after).</para>
    /// </remarks>
    public bool RecomputeSamePadding { get; init; } = true;
}
