using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.FractalNet;

/// <summary>One column of a FractalNet as a plain deep network: its units block by block, a 2x2 max-pool after each block, the FC head.</summary>
/// <remarks>Keys <c>features.{n}.conv.weight</c> (units and pools numbered in order) and <c>classifier.*</c>; the weights are copies, so it lives independently of the network it came from.</remarks>
public sealed class FractalColumnNetwork : ZooModel
{
    [ComponentName(Name = "features")]
    private readonly Sequential _features;

    [ComponentName(Name = "classifier")]
    private readonly Linear _classifier;

    /// <summary>Builds the network from the units of each block, in order, and the head.</summary>
    public FractalColumnNetwork(string name, IReadOnlyList<IReadOnlyList<FractalConvUnit>> blocks, Linear classifier)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        foreach (IReadOnlyList<FractalConvUnit> block in blocks)
        {
            foreach (FractalConvUnit unit in block)
            {
                layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), unit));
            }

            layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.MaxPool2d(2)));
        }

        Depth = blocks.Sum(b => b.Count);
        _features = nn.Sequential(layers);
        _classifier = classifier ?? throw new ArgumentNullException(nameof(classifier));
        register_module("features", _features);
        register_module("classifier", _classifier);
    }

    /// <summary>Convolution units along the path (the network's depth without the head).</summary>
    public int Depth { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => _classifier.call(_features.call(input).flatten(1));
}
