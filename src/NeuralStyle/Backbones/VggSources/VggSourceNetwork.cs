using NeuralStyle.Transfer;

namespace NeuralStyle.Backbones.VggSources;

/// <summary>Turns a <see cref="VggSource"/> into the seed's feature network, in the seed's pixel units.</summary>
public static class VggSourceNetwork
{
    /// <summary>
    /// The network with the source's convention folded into conv1_1 (<see cref="VggSource.FoldedLayers"/>), keeping only
    /// the layers up to the deepest of <paramref name="needed"/> (all when null). Disposes <paramref name="source"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A needed layer does not exist; the message lists the network's layers.</exception>
    public static VggFeatureNetwork Build(VggSource source, PoolingMode pooling, IReadOnlyCollection<string>? needed)
    {
        using (source)
        {
            var network = new VggFeatureNetwork(source.FoldedLayers(), source.FoldedPixels, pooling, source.Describe());
            try
            {
                if (needed is { Count: > 0 })
                {
                    network.TruncateAfter(network.LayerNames[needed.Max(network.IndexOf)]);
                }

                return network;
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
    }
}
