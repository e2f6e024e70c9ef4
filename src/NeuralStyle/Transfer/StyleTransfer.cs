using System.Diagnostics;
using NeuralStyle.Imaging;
using NeuralStyle.Tensors;
using NeuralStyle.Transfer.Optimizers;
using NeuralStyle.Transfer.Parameterizations;
using NeuralStyle.Transfer.Robustness;
using NeuralStyle.Transfer.Tiling;
using static TorchSharp.torch;
using NeuralStyle.Runtime;

namespace NeuralStyle.Transfer;

/// <summary>The seed's optimisation (stylize.py): a generator of progress events and images, free of any I/O.</summary>
public sealed class StyleTransfer
{
    private const double NoiseScale = 0.256;

    private readonly IFeatureNetwork _network;
    private readonly StyleTransferSettings _settings;
    private TilingGeometry? _geometry;

    /// <summary>Prepares a transfer with a backbone and its settings.</summary>
    /// <remarks>
    /// Without a seed the transfer draws one: every random number of a run (initial noise, sliced directions) comes
    /// from generators of its own, never from LibTorch's global one, so runs in one process do not disturb each other.
    /// The precision is resolved here (<see cref="PrecisionChoice.Resolve(ComputePrecision, IFeatureNetwork)"/>): bf16
    /// only after the start-up check of bf16 convolutions against float64 has passed.
    /// </remarks>
    /// <exception cref="ArgumentException">A setting makes no sense, or bf16 was asked and cannot be had.</exception>
    /// <param name="network">The backbone.</param>
    /// <param name="settings">The run's settings.</param>
    /// <param name="tiling">The network's tiling geometry for these settings' layers, when the caller has measured it already; measured on first use otherwise.</param>
    public StyleTransfer(IFeatureNetwork network, StyleTransferSettings settings, TilingGeometry? tiling = null)
    {
        settings.Validate();
        TorchRuntime.EnsureInitialized();
        _network = network;
        _geometry = tiling;
        Precision = PrecisionChoice.Resolve(settings.Precision, network);
        settings = settings with { Precision = Precision.Used };
        _settings = settings.Seed is null ? settings with { Seed = NewSeed() } : settings;
    }

    /// <summary>What this transfer computes in, and why.</summary>
    public PrecisionChoice Precision { get; }

    /// <summary>The seed this run uses (the one given, or the one it drew).</summary>
    public long Seed => _settings.Seed!.Value;

    /// <summary>A random seed for a run that was given none.</summary>
    public static long NewSeed() => Random.Shared.NextInt64(0, long.MaxValue);

    /// <summary>Every layer the losses read; a network can be truncated after the deepest of them.</summary>
    public IReadOnlyList<string> LayersInUse => _settings.LayersInUse(_network.Defaults);

    /// <summary>
    /// Runs the optimisation. <paramref name="content"/>, <paramref name="styles"/> and <paramref name="initial"/> are
    /// used at the sizes given (see <see cref="ImageSizing"/> for the seed's resizing). With <paramref name="resume"/>
    /// the run continues from a saved state (its iterations count towards <see cref="StyleTransferSettings.Iterations"/>);
    /// with <paramref name="captureState"/> every <see cref="ImageProduced"/> carries the state to resume from.
    /// <paramref name="control"/> lets another thread end the run early (the iteration under way becomes the last) and
    /// asks for <see cref="PreviewImage"/>s.
    /// </summary>
    public IEnumerable<TransferEvent> Stylize(RgbImage content, IReadOnlyList<RgbImage> styles, RgbImage? initial = null, TransferState? resume = null, bool captureState = false, RunControl? control = null)
    {
        if (styles.Count == 0)
        {
            throw new ArgumentException("at least one style image is needed", nameof(styles));
        }

        if (initial is not null && (initial.Width != content.Width || initial.Height != content.Height))
        {
            throw new ArgumentException("the initial image must have the content image's size", nameof(initial));
        }

        if (resume is not null)
        {
            long[] expected = [1, 3, content.Height, content.Width];
            if (!resume.Image.shape.SequenceEqual(expected))
            {
                throw new ArgumentException($"the saved state is for a {string.Join('x', resume.Image.shape)} image, this run's is {string.Join('x', expected)}");
            }

            if (resume.CompletedIterations >= _settings.Iterations)
            {
                throw new ArgumentException($"the saved run already did {resume.CompletedIterations} iterations; ask for more than that");
            }

            if (ImageParameters.HasOwnVariable(_settings) != (resume.Parameters is not null))
            {
                throw new ArgumentException("the saved state is for another image parameterisation (--parameterization, --decorrelate-colors)");
            }

            if ((_settings.Optimizer == OptimizerKind.Adam) != (resume.AdamFirstMoment is not null))
            {
                throw new ArgumentException("the saved state is for another optimiser");
            }
        }

        TiledPasses? tiling = TilingFor(content, styles);
        return Run(content, styles, initial, resume, captureState, tiling, control);
    }

    /// <summary>Whether images of these sizes are evaluated block by block: some side exceeds <see cref="StyleTransferSettings.TileSize"/>.</summary>
    public bool Tiles(int width, int height) => _settings.TileSize is int tile && Math.Max(width, height) > tile;

    /// <summary>The blocks a <paramref name="width"/> x <paramref name="height"/> image is cut into, or null when it is evaluated whole.</summary>
    /// <remarks>Measures the network's geometry on first use (a few forward passes at <see cref="TilingGeometry.ProbeSizes"/> pixels).</remarks>
    public TileGrid? GridFor(int width, int height) =>
        Tiles(width, height) ? new TileGrid(width, height, _settings.TileSize!.Value, Geometry.Margin, Geometry.Alignment) : null;

    /// <summary>The network's tiling geometry for this run's layers.</summary>
    public TilingGeometry Geometry => _geometry ??= TilingGeometry.Measure(_network, LayersInUse);

    // The block passes when the content or a style is larger than the tile; their style loss must be one of sums.
    private TiledPasses? TilingFor(RgbImage content, IReadOnlyList<RgbImage> styles)
    {
        if (!Tiles(content.Width, content.Height) && !styles.Any(s => Tiles(s.Width, s.Height)))
        {
            return null;
        }

        if (TiledLosses.Refusal(_settings.StyleLoss) is string refusal)
        {
            throw new ArgumentException(refusal);
        }

        return new TiledPasses(_network, Geometry, _settings.TileSize!.Value, _settings.Precision);
    }

    private IEnumerable<TransferEvent> Run(RgbImage content, IReadOnlyList<RgbImage> styles, RgbImage? initial, TransferState? resume, bool captureState, TiledPasses? tiling, RunControl? control)
    {
        var clock = Stopwatch.StartNew();
        PixelConvention pixels = _network.Pixels;
        var objective = new GatysObjective(_network, _settings, pixels, content, styles, tiling);
        ColorBasis? colors = null;
        IImageParameters? parameters = null;
        try
        {
            colors = _settings.DecorrelateColors ? NewColorBasis(content, styles, pixels) : null;
            parameters = StartingParameters(content, initial, resume, pixels, colors);
            Tensor variable = parameters.Variable;
            using var adam = _settings.Optimizer == OptimizerKind.Adam
                ? new TensorFlowAdam(variable, _settings.LearningRate, _settings.Beta1, _settings.Beta2, _settings.Epsilon)
                : null;
            using var lbfgs = _settings.Optimizer == OptimizerKind.Lbfgs
                ? new Lbfgs(variable, new LbfgsOptions(_settings.LbfgsHistory, _settings.LbfgsStrongWolfe, _settings.LearningRate, BacktrackOnIncrease: true))
                : null;
            double bestLoss = resume?.BestLoss ?? double.PositiveInfinity;
            Tensor? best = resume?.Best?.detach().clone();
            Tensor? average = _settings.AverageDecay is null ? null : (resume?.Average?.detach().clone() ?? zeros(1, 3, content.Height, content.Width).detach());
            long averageSteps = resume?.AverageSteps ?? 0;
            if (resume is not null)
            {
                if (adam is not null)
                {
                    adam.Restore(resume.AdamStep, resume.AdamFirstMoment!, resume.AdamSecondMoment!);
                }
                else if (resume.Lbfgs is not null)
                {
                    lbfgs!.ImportState(resume.Lbfgs);
                }
            }

            int n = _settings.Iterations;
            int first = resume?.CompletedIterations ?? 0;
            using var guard = new FiniteLossGuard(_settings, first + 1);
            try
            {
                for (int i = first; i < n; i++)
                {
                    yield return new IterationStarted(i + 1, n, clock.Elapsed);

                    // A stop asked for (before this iteration's step) makes it the last: the run ends as a finished one,
                    // resumable.
                    bool last = i == n - 1 || control?.StopRequested == true;

                    bool print = last || (_settings.PrintIterations is int p && i % p == 0);
                    LossBreakdown losses;
                    using (ContentTargets? transformed = TransformFor(objective, i + 1, content))
                    {
                        var evaluation = new Evaluation(objective, parameters, transformed, guard, i + 1, pixels);
                        losses = adam is not null ? Step(evaluation, adam) : Step(evaluation, lbfgs!);
                    }

                    yield return new IterationLosses(i + 1, losses);
                    if (print)
                    {
                        yield return new LossesEvaluated(i + 1, losses);
                    }

                    if (average is not null)
                    {
                        using Tensor current = RenderDetached(parameters);
                        Accumulate(average, current, _settings.AverageDecay!.Value);
                        averageSteps++;
                    }

                    bool checkpoint = last || (_settings.CheckpointIterations is int c && i % c == 0);
                    if (!checkpoint && control?.PreviewDue() == true)
                    {
                        using Tensor current = RenderDetached(parameters);
                        yield return new PreviewImage(i + 1, n, ImageTensors.Unprocess(current, pixels), clock.Elapsed);
                    }

                    if (checkpoint)
                    {
                        using Tensor x = RenderDetached(parameters);
                        double loss = objective.EvaluateTotal(x);
                        guard.CheckTotal(i + 1, x, loss, pixels);

                        if (loss < bestLoss || best is null)
                        {
                            bestLoss = loss;
                            best?.Dispose();
                            best = x.detach().clone();
                        }

                        double? averageLoss = null;
                        RgbImage image;
                        if (average is null)
                        {
                            image = ImageTensors.Unprocess(best, pixels);
                        }
                        else
                        {
                            using Tensor corrected = BiasCorrected(average, _settings.AverageDecay!.Value, averageSteps);
                            averageLoss = objective.EvaluateTotal(corrected);
                            image = ImageTensors.Unprocess(corrected, pixels);
                        }

                        TransferState? state = captureState
                            ? Capture(i + 1, x, parameters, best, bestLoss, average, averageSteps, adam, lbfgs)
                            : null;
                        yield return new ImageProduced(last ? null : i, image, bestLoss, clock.Elapsed)
                        {
                            AverageLoss = averageLoss,
                            IterateLoss = loss,
                            State = state,
                        };
                    }

                    if (last)
                    {
                        break; // a stop made this iteration the last
                    }
                }
            }
            finally
            {
                best?.Dispose();
                average?.Dispose();
            }
        }
        finally
        {
            parameters?.Dispose();
            colors?.Dispose();
            objective.Dispose();
        }
    }

    private static ColorBasis NewColorBasis(RgbImage content, IReadOnlyList<RgbImage> styles, PixelConvention pixels)
    {
        using var scope = NewDisposeScope();
        return ColorBasis.From(ImageTensors.Preprocess(content, pixels), [.. styles.Select(s => ImageTensors.Preprocess(s, pixels))]);
    }

    // The variable to optimise: the saved one when resuming, else the encoding of the starting image.
    private IImageParameters StartingParameters(RgbImage content, RgbImage? initial, TransferState? resume, PixelConvention pixels, ColorBasis? colors)
    {
        if (resume is not null)
        {
            Tensor saved = ImageParameters.HasOwnVariable(_settings) ? resume.Parameters! : resume.Image;
            return ImageParameters.FromVariable(_settings.Parameterization, saved, content.Height, content.Width, colors);
        }

        using Tensor start = InitialImage(content, initial, pixels);
        return ImageParameters.Encode(_settings.Parameterization, start, colors);
    }

    // This iteration's transform draw and the content targets under it; null when the run draws none.
    private ContentTargets? TransformFor(GatysObjective objective, int iteration, RgbImage content)
    {
        RandomAffine? draw = RandomAffine.Draw(_settings.Robustness, Seed, iteration, content.Height, content.Width);
        return draw is null ? null : objective.TargetsUnder(draw);
    }

    private static Tensor RenderDetached(IImageParameters parameters)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return parameters.Render().detach().clone().MoveToOuterDisposeScope();
    }

    // average <- decay * average + (1 - decay) * x, started from zero; BiasCorrected divides by 1 - decay^t as Adam
    // does, so that early averages are not pulled towards zero.
    private static void Accumulate(Tensor average, Tensor x, double decay)
    {
        using var noGrad = no_grad();
        average.mul_(decay).add_(x.detach(), alpha: 1 - decay);
    }

    private static Tensor BiasCorrected(Tensor average, double decay, long steps)
    {
        using var noGrad = no_grad();
        return average / (1 - Math.Pow(decay, steps));
    }

    private static TransferState Capture(int completed, Tensor x, IImageParameters parameters, Tensor? best, double bestLoss, Tensor? average, long averageSteps, TensorFlowAdam? adam, Lbfgs? lbfgs) => new()
    {
        CompletedIterations = completed,
        Image = x.detach().clone(),
        Parameters = parameters.IsImage ? null : parameters.Variable.detach().clone(),
        Best = best?.detach().clone(),
        BestLoss = bestLoss,
        Average = average?.detach().clone(),
        AverageSteps = averageSteps,
        AdamStep = adam?.Step ?? 0,
        AdamFirstMoment = adam?.FirstMoment.detach().clone(),
        AdamSecondMoment = adam?.SecondMoment.detach().clone(),
        Lbfgs = lbfgs?.ExportState(),
    };

    // One evaluation of the objective at the current parameters, checked for non-finite values before anything uses it.
    private sealed record Evaluation(GatysObjective Objective, IImageParameters Parameters, ContentTargets? Transformed, FiniteLossGuard Guard, int Iteration, PixelConvention Pixels)
    {
        public Tensor Variable => Parameters.Variable;

        // Render, forward and backward; the first non-finite value stops the run (its exception carries the best image so far).
        public (Tensor Total, LossBreakdown Losses) Run()
        {
            Tensor image = Parameters.Render();
            (Tensor content, Tensor style, Tensor tv) = Objective.Evaluate(image, Transformed);
            Tensor total = content + style + tv;
            LossBreakdown losses = Guard.Check(Iteration, image, content, style, tv, total, Pixels);
            total.backward();
            return (total, losses);
        }
    }

    // One forward and backward pass at the current image, then the optimiser's step; the losses returned are those of
    // the image before the step, which is what the seed prints.
    private static LossBreakdown Step(Evaluation evaluation, TensorFlowAdam adam)
    {
        using var scope = NewDisposeScope();
        (_, LossBreakdown losses) = evaluation.Run();
        Tensor grad = evaluation.Variable.grad ?? throw new InvalidOperationException("the loss does not depend on the image");
        adam.Apply(grad);
        grad.zero_();
        return losses;
    }

    // L-BFGS evaluates the objective once at the current image and then along its line search; the first
    // evaluation is the one the seed's console reports. Every evaluation is checked.
    private static LossBreakdown Step(Evaluation evaluation, Lbfgs lbfgs)
    {
        LossBreakdown? first = null;
        lbfgs.Step(() =>
        {
            (Tensor total, LossBreakdown losses) = evaluation.Run();
            first ??= losses;
            return total;
        });
        return first ?? throw new InvalidOperationException("L-BFGS took a step without evaluating the objective");
    }

    private Tensor InitialImage(RgbImage content, RgbImage? initial, PixelConvention pixels)
    {
        double noiseBlend = _settings.InitialNoiseBlend ?? (initial is null ? 1.0 : 0.0);
        RgbImage? start = initial ?? (noiseBlend < 1 ? content : null);
        using var scope = NewDisposeScope();
        Tensor x;
        if (start is null)
        {
            x = Noise(content) * NoiseScale;
        }
        else
        {
            x = ImageTensors.Preprocess(start, pixels);
            if (noiseBlend > 0)
            {
                x = (x * (1 - noiseBlend)) + (Noise(content) * (NoiseScale * noiseBlend));
            }
        }

        return x.detach().contiguous().MoveToOuterDisposeScope();
    }

    private Tensor Noise(RgbImage content)
    {
        long[] shape = [1, 3, content.Height, content.Width];
        using var generator = new Generator((ulong)_settings.Seed!.Value);
        return randn(shape, ScalarType.Float32, generator: generator);
    }
}
