namespace NeuralStyle.Weights;

/// <summary>The layouts of a state dict file that <see cref="StateDictFile"/> tells apart by their first bytes.</summary>
public enum StateDictFormat
{
    /// <summary>torch.save of PyTorch 1.6 and later: a zip archive.</summary>
    TorchZip,

    /// <summary>torch.save before PyTorch 1.6: a sequence of pickles, then the raw storages (or, before 0.1.10, a tar archive, which is named and refused).</summary>
    TorchLegacy,

    /// <summary>A safetensors file: an 8-byte little-endian header length, a JSON header, then the raw tensor data.</summary>
    SafeTensors,
}
