using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Optimizers;

/// <summary>The (s, y) pairs of L-BFGS and the two-loop recursion that applies their inverse-Hessian estimate.</summary>
internal sealed class LbfgsHistory : IDisposable
{
    // Pairs whose curvature s.y is this small or less are dropped: accepting them could make H indefinite (or blow
    // up rho = 1 / s.y), and then the direction would no longer be one of descent.
    internal const double MinCurvature = 1e-10;

    private readonly List<Tensor> _s = [];
    private readonly List<Tensor> _y = [];
    private readonly List<double> _rho = [];

    /// <summary>An empty history keeping at most <paramref name="capacity"/> pairs.</summary>
    public LbfgsHistory(int capacity) => Capacity = capacity;

    /// <summary>Most pairs kept.</summary>
    public int Capacity { get; }

    /// <summary>Pairs stored.</summary>
    public int Count => _s.Count;

    /// <summary>s of the stored pairs, oldest first.</summary>
    public IReadOnlyList<Tensor> StepDifferences => _s;

    /// <summary>y of the stored pairs, oldest first.</summary>
    public IReadOnlyList<Tensor> GradientDifferences => _y;

    /// <summary>1 / (s.y) of the stored pairs, oldest first.</summary>
    public IReadOnlyList<double> Rho => _rho;

    /// <summary>H0 = (s.y) / (y.y) of the newest accepted pair: scales the recursion to the curvature last seen.</summary>
    public double InitialHessianScale { get; private set; } = 1;

    /// <summary>
    /// Offers the pair s = stepSize * direction, y; keeps it (taking ownership of <paramref name="y"/>) when s.y is
    /// positive enough. Returns a tensor shaped like y that the caller now owns: the buffer of a dropped pair, so a
    /// full history recycles memory instead of allocating, or <paramref name="y"/> itself when the pair is refused.
    /// </summary>
    public Tensor Offer(Tensor direction, double stepSize, Tensor y)
    {
        double sy = stepSize * Dot(direction, y);
        if (!(sy > MinCurvature))
        {
            return y;
        }

        double yy = Dot(y, y);
        Tensor? oldS = null, oldY = null;
        if (_s.Count == Capacity)
        {
            oldS = _s[0];
            oldY = _y[0];
            _s.RemoveAt(0);
            _y.RemoveAt(0);
            _rho.RemoveAt(0);
        }

        Tensor s = oldS ?? empty_like(direction).DetachFromDisposeScope();
        using (no_grad())
        {
            s.copy_(direction).mul_(stepSize);
        }

        _s.Add(s);
        _y.Add(y);
        _rho.Add(1 / sy);
        InitialHessianScale = sy / yy;
        return oldY ?? empty_like(y).DetachFromDisposeScope();
    }

    /// <summary>Replaces <paramref name="q"/> (holding -g on entry) by -H g, H being the L-BFGS inverse-Hessian estimate.</summary>
    public void ApplyInverseHessian(Tensor q)
    {
        int k = _s.Count;
        var alpha = new double[k];
        using (no_grad())
        {
            for (int i = k - 1; i >= 0; i--)
            {
                alpha[i] = _rho[i] * Dot(_s[i], q);
                q.add_(_y[i], alpha: -alpha[i]);
            }

            q.mul_(InitialHessianScale);
            for (int i = 0; i < k; i++)
            {
                double beta = _rho[i] * Dot(_y[i], q);
                q.add_(_s[i], alpha: alpha[i] - beta);
            }
        }
    }

    /// <summary>Replaces the pairs by copies of the given ones (the newest <see cref="Capacity"/> of them).</summary>
    public void Load(IReadOnlyList<Tensor> s, IReadOnlyList<Tensor> y, IReadOnlyList<double> rho, double initialScale, Tensor like)
    {
        if (s.Count != y.Count || s.Count != rho.Count)
        {
            throw new ArgumentException("the state has different numbers of s, y and rho");
        }

        Clear();
        for (int i = Math.Max(0, s.Count - Capacity); i < s.Count; i++)
        {
            _s.Add(CopyLike(s[i], like));
            _y.Add(CopyLike(y[i], like));
            _rho.Add(rho[i]);
        }

        InitialHessianScale = initialScale;
    }

    /// <summary>s.y of two tensors of the same shape, as a double.</summary>
    internal static double Dot(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.reshape(-1).dot(b.reshape(-1)).ToDouble();
    }

    /// <summary>A contiguous copy of <paramref name="source"/> with the dtype and device of <paramref name="like"/>.</summary>
    internal static Tensor CopyLike(Tensor source, Tensor like)
    {
        if (!source.shape.SequenceEqual(like.shape))
        {
            throw new ArgumentException(
                $"a state tensor has shape [{string.Join(", ", source.shape)}], the variable [{string.Join(", ", like.shape)}]");
        }

        Tensor copy = empty_like(like).DetachFromDisposeScope();
        using (no_grad())
        {
            copy.copy_(source);
        }

        return copy;
    }

    /// <inheritdoc />
    public void Dispose() => Clear();

    private void Clear()
    {
        foreach (Tensor t in _s)
        {
            t.Dispose();
        }

        foreach (Tensor t in _y)
        {
            t.Dispose();
        }

        _s.Clear();
        _y.Clear();
        _rho.Clear();
        InitialHessianScale = 1;
    }
}
