using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Blocks;

/// <summary>Builds an <c>nn.Sequential</c> whose children are named "0", "1", ... like PyTorch's, so that state-dict keys read <c>features.3.weight</c>.</summary>
public static class NumberedSequential
{
    /// <summary>The layers in order, named by their position.</summary>
    public static Sequential Create(IEnumerable<nn.Module<Tensor, Tensor>> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        (string, nn.Module<Tensor, Tensor>)[] named = [.. layers.Select((m, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), m))];
        return nn.Sequential(named);
    }

    /// <inheritdoc cref="Create(IEnumerable{nn.Module{Tensor, Tensor}})"/>
    public static Sequential Create(params nn.Module<Tensor, Tensor>[] layers) => Create((IEnumerable<nn.Module<Tensor, Tensor>>)layers);
}
