namespace NeuralStyle.Transfer;

/// <summary>The arithmetic of the backbone's convolutions (<c>--precision</c>).</summary>
/// <remarks>
/// Only the backbone's forward and backward pass change: Gram matrices, losses, the image, its gradient and the
/// optimiser's state stay float32 in every mode (a float16 Gram matrix overflows; bfloat16's 8-bit mantissa would
/// make the losses' sums coarse).
/// </remarks>
public enum ComputePrecision
{
    /// <summary>float32 throughout (the seed).</summary>
    Float32,

    /// <summary>Convolutions, ReLU and pooling in bfloat16; features cast back to float32 before the losses. Refused where the CPU has no native bfloat16 or the start-up check fails.</summary>
    BFloat16,

    /// <summary>bfloat16 where the backbone supports it, the CPU has native bfloat16, the start-up check passes and bf16 convolutions measure faster than float32's; float32 otherwise.</summary>
    Auto,
}
