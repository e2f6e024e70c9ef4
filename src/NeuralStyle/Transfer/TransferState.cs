using NeuralStyle.Transfer.Optimizers;
using static TorchSharp.torch;

namespace NeuralStyle.Transfer;

/// <summary>Everything needed to continue a run exactly where it stopped: the image, the best and averaged images, and the optimiser's state.</summary>
/// <remarks>The tensors are copies owned by this object; <see cref="TransferStateFile"/> writes and reads it.</remarks>
public sealed class TransferState : IDisposable
{
    /// <summary>Iterations completed (the next one to run, 0-based).</summary>
    public required int CompletedIterations { get; init; }

    /// <summary>The image being optimised (network input space, 1 x 3 x H x W).</summary>
    public required Tensor Image { get; init; }

    /// <summary>The optimised variable when the run's parameterisation is not pixels (Fourier coefficients, pyramid levels); null for pixels, where it is <see cref="Image"/>.</summary>
    /// <remarks>The optimiser's moments and history then have this tensor's shape, not the image's.</remarks>
    public Tensor? Parameters { get; init; }

    /// <summary>The best image by evaluated loss so far, and its loss.</summary>
    public required Tensor? Best { get; init; }

    /// <summary>Loss of <see cref="Best"/>.</summary>
    public required double BestLoss { get; init; }

    /// <summary>The running average of the image (not bias-corrected) and the number of steps in it; null without --average.</summary>
    public Tensor? Average { get; init; }

    /// <summary>Steps folded into <see cref="Average"/>.</summary>
    public long AverageSteps { get; init; }

    /// <summary>Adam's step count and moments, when Adam runs.</summary>
    public long AdamStep { get; init; }

    /// <summary>Adam's first moment.</summary>
    public Tensor? AdamFirstMoment { get; init; }

    /// <summary>Adam's second moment.</summary>
    public Tensor? AdamSecondMoment { get; init; }

    /// <summary>L-BFGS's state, when L-BFGS runs.</summary>
    public LbfgsState? Lbfgs { get; init; }

    /// <summary>The run the state belongs to: set when read from a file, null for a state the engine has just captured.</summary>
    public TransferStateOrigin? Origin { get; init; }

    /// <inheritdoc />
    public void Dispose()
    {
        Image.Dispose();
        Parameters?.Dispose();
        Best?.Dispose();
        Average?.Dispose();
        AdamFirstMoment?.Dispose();
        AdamSecondMoment?.Dispose();
        Lbfgs?.Dispose();
    }
}
