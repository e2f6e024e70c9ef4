using NeuralStyle.Imaging;
using NeuralStyle.Tensors;
using static TorchSharp.torch;

namespace NeuralStyle.Transfer;

/// <summary>
/// Checks every loss evaluation of a run for NaN and infinity and remembers the finite image with the lowest loss,
/// so that the first non-finite value stops the run with a diagnosis and the best picture so far can still be kept.
/// </summary>
/// <remarks>
/// The check reads the scalar terms the evaluation already computed (a few bytes); the image itself is inspected only
/// to explain a failure. Copying the image when its loss improves costs one image-sized copy, small next to a pass
/// through the network.
/// </remarks>
internal sealed class FiniteLossGuard : IDisposable
{
    // Preprocessed pixels lie within a few hundred in every convention (0..255 less a mean, or standardised); an image
    // far beyond that was pushed there by the optimiser's steps, not by the loss weights.
    private const double DivergedMagnitude = 1e6;

    private readonly StyleTransferSettings _settings;
    private readonly int _firstIteration;
    private Tensor? _best;
    private double _bestLoss = double.PositiveInfinity;
    private int? _bestIteration;

    /// <param name="settings">The run's settings (for naming the weight that overflowed).</param>
    /// <param name="firstIteration">The 1-based iteration this run starts at (after a resume, the next one).</param>
    public FiniteLossGuard(StyleTransferSettings settings, int firstIteration)
    {
        _settings = settings;
        _firstIteration = firstIteration;
    }

    /// <summary>
    /// Checks the terms of an evaluation of <paramref name="x"/> at 1-based <paramref name="iteration"/> and returns
    /// them; keeps a copy of <paramref name="x"/> when its loss is the lowest so far.
    /// </summary>
    /// <exception cref="NonFiniteLossException">A term or their sum is NaN or infinite.</exception>
    public LossBreakdown Check(int iteration, Tensor x, Tensor content, Tensor style, Tensor tv, Tensor total, PixelConvention pixels)
    {
        double c = content.item<float>(), s = style.item<float>(), t = tv.item<float>(), sum = total.item<float>();
        if (!(double.IsFinite(sum) && double.IsFinite(c) && double.IsFinite(s) && double.IsFinite(t)))
        {
            (string term, double value) = !double.IsFinite(c) ? ("content", c) : !double.IsFinite(s) ? ("style", s) : !double.IsFinite(t) ? ("total variation", t) : ("total", sum);
            throw Failure(iteration, term, value, x, pixels);
        }

        if (sum < _bestLoss)
        {
            using var noGrad = no_grad();
            // Owned by the guard, not by the dispose scope of the step that first improved.
            _best ??= zeros_like(x).detach().DetachFromDisposeScope();
            _best.copy_(x.detach());
            _bestLoss = sum;
            _bestIteration = iteration;
        }

        return new LossBreakdown(c, s, t);
    }

    /// <summary>Checks a checkpoint's evaluated total the same way (no terms are available there).</summary>
    /// <exception cref="NonFiniteLossException"><paramref name="total"/> is NaN or infinite.</exception>
    public void CheckTotal(int iteration, Tensor x, double total, PixelConvention pixels)
    {
        if (!double.IsFinite(total))
        {
            throw Failure(iteration, "total", total, x, pixels);
        }
    }

    private NonFiniteLossException Failure(int iteration, string term, double value, Tensor x, PixelConvention pixels)
    {
        string what = double.IsNaN(value) ? "NaN" : value > 0 ? "infinite" : "-infinite";
        string message = $"the {term} loss became {what} at iteration {iteration}: {Cause(iteration, term, value, x)}";
        RgbImage? best = _best is null ? null : ImageTensors.Unprocess(_best, pixels);
        return new NonFiniteLossException(message, iteration, term, best, _bestIteration, _bestLoss);
    }

    private string Cause(int iteration, string term, double value, Tensor x)
    {
        bool imageFinite;
        double largest;
        using (no_grad())
        {
            imageFinite = isfinite(x).all().item<bool>();
            largest = imageFinite ? x.abs().max().item<float>() : double.NaN;
        }

        if (!imageFinite)
        {
            return iteration == _firstIteration
                ? "the starting image holds non-finite values (the --initial image or the saved state of a resumed run)"
                : "the image itself went non-finite in the previous step: the learning rate (--learning-rate) is too high for these weights, or the optimiser's settings are out of range";
        }

        if (largest > DivergedMagnitude)
        {
            return $"the image diverged (its values reached {largest:G3}; pixels are within a few hundred): the learning rate (--learning-rate) is too high";
        }

        if (double.IsInfinity(value))
        {
            return term switch
            {
                "content" => $"the content term overflowed float32: --content-weight {_settings.ContentWeight:G4} is too large",
                "style" => $"the style term overflowed float32: --style-weight {_settings.StyleWeight:G4} is too large",
                "total variation" => $"the total variation term overflowed float32: --tv-weight {_settings.TvWeight:G4} is too large",
                _ => "the sum of the terms overflowed float32: the loss weights are too large",
            };
        }

        return "the network or the loss gave NaN for a finite image: the network's weights may be damaged, the images too small for the layers in use, or the loss weights out of range";
    }

    public void Dispose() => _best?.Dispose();
}
