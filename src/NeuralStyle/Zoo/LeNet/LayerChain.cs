using NeuralStyle.Zoo.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.LeNet;

/// <summary>A zoo model whose named layers are direct children, run in order (state-dict keys <c>c1.weight</c>, not <c>layers.0.weight</c>).</summary>
public abstract class LayerChain : ZooModel
{
    private readonly List<nn.Module<Tensor, Tensor>> _layers = [];

    /// <summary>Registers <paramref name="layers"/> under their names, in order.</summary>
    protected LayerChain(string name, IEnumerable<(string Name, nn.Module<Tensor, Tensor> Layer)> layers)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach ((string layerName, nn.Module<Tensor, Tensor> layer) in layers)
        {
            register_module(layerName, layer);
            _layers.Add(layer);
        }
    }

    /// <inheritdoc />
    /// <remarks>In PyTorch's order (buffers next to their layer's parameters): see <see cref="PyTorchStateDict"/>.</remarks>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null) =>
        PyTorchStateDict.Collect(this, destination, prefix);

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor x = _layers[0].call(input);
        for (int i = 1; i < _layers.Count; i++)
        {
            Tensor next = _layers[i].call(x);
            x.Dispose();
            x = next;
        }

        return x;
    }
}
