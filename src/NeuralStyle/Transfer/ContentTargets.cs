using static TorchSharp.torch;

namespace NeuralStyle.Transfer;

/// <summary>Content targets for one transform draw (see <see cref="GatysObjective.TargetsUnder"/>).</summary>
internal sealed class ContentTargets(Robustness.RandomAffine transform, IReadOnlyDictionary<string, Tensor> targets) : IDisposable
{
    public Robustness.RandomAffine Transform { get; } = transform;

    public IReadOnlyDictionary<string, Tensor> Targets { get; } = targets;

    public void Dispose()
    {
        foreach (Tensor t in Targets.Values)
        {
            t.Dispose();
        }
    }
}
