namespace NeuralStyle.Weights.Onnx;

/// <summary>A node failed while the graph ran, typically because the inputs' shapes do not fit the model.</summary>
public sealed class OnnxEvaluationException(string sourceName, string node, string detail, Exception? inner = null)
    : NeuralStyleException(MessageText.OneLine($"{sourceName}: {node}: {detail}"), inner)
{
    /// <summary>The model's file name or other description.</summary>
    public string SourceName { get; } = sourceName;

    /// <summary>Which node failed, as index, name, operator and first output.</summary>
    public string Node { get; } = node;
}
