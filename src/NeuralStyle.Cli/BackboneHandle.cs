using NeuralStyle.Transfer;

namespace NeuralStyle.Cli;

/// <summary>Owns an opened backbone for the length of a command and says what it is.</summary>
internal sealed class BackboneHandle(IFeatureNetwork network) : IDisposable
{
    public IFeatureNetwork Network { get; } = network;

    public void Dispose() => (Network as IDisposable)?.Dispose();
}
