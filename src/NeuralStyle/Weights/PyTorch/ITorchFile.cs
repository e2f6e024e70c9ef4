using static TorchSharp.torch;

namespace NeuralStyle.Weights.PyTorch;

/// <summary>One of torch.save's two layouts (the zip archive, the legacy sequence of pickles): its object and its storages.</summary>
internal interface ITorchFile : IDisposable
{
    /// <summary>Runs the object pickle and returns what it built; every storage it names is checked against the file first.</summary>
    /// <exception cref="PickleException">The pickle is malformed or names storages the file does not hold.</exception>
    /// <exception cref="PyTorchFormatException">The file's layout around the pickle is wrong.</exception>
    object? LoadObject();

    /// <summary>Reads <paramref name="storage"/> into a new one-dimensional CPU tensor of its element type.</summary>
    Tensor ReadStorage(StorageReference storage);
}
