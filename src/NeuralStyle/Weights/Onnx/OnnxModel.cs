namespace NeuralStyle.Weights.Onnx;

/// <summary>An ONNX model as read from a file: its graph's inputs, outputs, constants and nodes.</summary>
/// <remarks>
/// Reading checks the structure (every node input is defined, every value is produced once, every tensor's data
/// matches its dimensions) but not the operators; <see cref="OnnxGraph"/> checks those when it is built.
/// </remarks>
public sealed class OnnxModel
{
    internal OnnxModel(
        string sourceName,
        long irVersion,
        string producer,
        IReadOnlyDictionary<string, long> opsets,
        IReadOnlyList<OnnxValueInfo> inputs,
        IReadOnlyList<OnnxValueInfo> outputs,
        IReadOnlyDictionary<string, OnnxTensorData> initializers,
        IReadOnlyList<OnnxNode> nodes)
    {
        SourceName = sourceName;
        IrVersion = irVersion;
        Producer = producer;
        Opsets = opsets;
        Inputs = inputs;
        Outputs = outputs;
        Initializers = initializers;
        Nodes = nodes;
    }

    /// <summary>The file name (or the name given with the stream), used in every error message.</summary>
    public string SourceName { get; }

    /// <summary>Size of the serialized model in bytes (its file's size).</summary>
    public long SerializedBytes { get; internal set; }

    /// <summary>The ONNX IR version of the file.</summary>
    public long IrVersion { get; }

    /// <summary>Producer name and version, e.g. <c>CNTK 2.6</c> or <c>pytorch 1.13.0</c>.</summary>
    public string Producer { get; }

    /// <summary>Operator set versions by domain; the default ONNX domain is the empty string.</summary>
    public IReadOnlyDictionary<string, long> Opsets { get; }

    /// <summary>The operator set version of the default ONNX domain.</summary>
    public long OpsetVersion => Opsets[string.Empty];

    /// <summary>The inputs that the caller supplies (graph inputs that are not initializers).</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>The graph outputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>The weights and other constant tensors, by name.</summary>
    public IReadOnlyDictionary<string, OnnxTensorData> Initializers { get; }

    /// <summary>The nodes in file order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>Reads an .onnx file.</summary>
    /// <exception cref="OnnxFormatException">The file is not a valid ONNX model; the message names the file and the problem.</exception>
    public static OnnxModel Load(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return OnnxModelReader.Read(bytes, path);
    }

    /// <summary>Reads an ONNX model from <paramref name="stream"/>; <paramref name="sourceName"/> names it in messages.</summary>
    /// <exception cref="OnnxFormatException">The data is not a valid ONNX model.</exception>
    public static OnnxModel Load(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return OnnxModelReader.Read(buffer.ToArray(), sourceName);
    }
}
