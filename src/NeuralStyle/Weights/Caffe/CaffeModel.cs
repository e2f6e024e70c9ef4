using static TorchSharp.torch;

namespace NeuralStyle.Weights.Caffe;

/// <summary>A Caffe net read from a <c>.caffemodel</c>: its layers in file order, with their blobs; owns the tensors.</summary>
public sealed class CaffeModel : IDisposable
{
    internal CaffeModel(string sourceName, string name, IReadOnlyList<CaffeLayer> layers)
    {
        SourceName = sourceName;
        Name = name;
        Layers = layers;
    }

    /// <summary>The file the net was read from.</summary>
    public string SourceName { get; }

    /// <summary>NetParameter's name (e.g. <c>VGG_ILSVRC_19_layers</c>); empty when the file has none.</summary>
    public string Name { get; }

    /// <summary>Every layer in file order, blobs or not.</summary>
    public IReadOnlyList<CaffeLayer> Layers { get; }

    /// <summary>The blobs as a state dict: <c>conv1_1.weight</c>, <c>conv1_1.bias</c>, further blobs <c>NAME.2</c>, ...</summary>
    /// <remarks>
    /// Shapes are PyTorch's: a bias is 1-d, and an InnerProduct weight is 2-d (out x in) even when the file stores
    /// the legacy 1x1xOUTxIN; other blobs keep their stored shape. The tensors are views of the blobs' storage: the
    /// caller disposes them, and they stay valid after the model is disposed (the storage is reference-counted).
    /// </remarks>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var result = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (CaffeLayer layer in Layers)
            {
                for (int i = 0; i < layer.Blobs.Count; i++)
                {
                    string key = i switch { 0 => $"{layer.Name}.weight", 1 => $"{layer.Name}.bias", _ => $"{layer.Name}.{i}" };
                    if (!result.TryAdd(key, View(layer, i)))
                    {
                        throw new CaffeFormatException(SourceName, $"two layers are named '{layer.Name}', so the state dict key '{key}' would be ambiguous");
                    }
                }
            }
        }
        catch
        {
            foreach (Tensor t in result.Values)
            {
                t.Dispose();
            }

            throw;
        }

        return result;
    }

    private static Tensor View(CaffeLayer layer, int index)
    {
        Tensor data = layer.Blobs[index].Data;
        IReadOnlyList<long> shape = layer.Blobs[index].Shape;
        bool leadingOnes = shape.Take(Math.Max(0, shape.Count - 2)).All(d => d == 1);
        if (index == 1)
        {
            return data.reshape(-1);
        }

        if (index == 0 && layer.Type == "InnerProduct" && shape.Count > 2 && leadingOnes)
        {
            return data.reshape(shape[^2], shape[^1]);
        }

        return data.alias();
    }

    /// <summary>Frees every blob's tensor.</summary>
    public void Dispose()
    {
        foreach (CaffeBlob blob in Layers.SelectMany(l => l.Blobs))
        {
            blob.Dispose();
        }
    }
}
