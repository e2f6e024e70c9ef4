namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>The operators the importer implements, by ONNX op_type (default domain only).</summary>
internal static class OnnxOperatorRegistry
{
    private static readonly Dictionary<string, OnnxOperatorFactory> Factories = Build();

    /// <summary>The supported op_type names, sorted.</summary>
    public static IReadOnlyList<string> Supported { get; } = Factories.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Builds the operator for <paramref name="ctx"/>'s node, or explains why it cannot.</summary>
    /// <exception cref="OnnxUnsupportedException">The operator, its domain or one of its attributes is not supported.</exception>
    /// <exception cref="OnnxFormatException">The node breaks the operator's specification.</exception>
    public static OnnxOperator Create(OnnxNodeContext ctx)
    {
        OnnxNode node = ctx.Node;
        if (node.Domain.Length > 0 && node.Domain != "ai.onnx")
        {
            throw new OnnxUnsupportedException(ctx.SourceName, $"{node}: operator '{node.OpType}' of domain '{node.Domain}' is not supported (only the default ONNX domain is)", node.OpType);
        }

        if (!Factories.TryGetValue(node.OpType, out OnnxOperatorFactory? factory))
        {
            throw new OnnxUnsupportedException(ctx.SourceName, $"{node}: operator '{node.OpType}' is not supported; supported are {string.Join(", ", Supported)}", node.OpType);
        }

        return factory(ctx);
    }

    private static Dictionary<string, OnnxOperatorFactory> Build()
    {
        var registry = new Dictionary<string, OnnxOperatorFactory>(StringComparer.Ordinal);
        ConvOperators.Register(registry);
        PoolOperators.Register(registry);
        NormalizationOperators.Register(registry);
        ActivationOperators.Register(registry);
        ElementwiseOperators.Register(registry);
        MatrixOperators.Register(registry);
        ShapeOperators.Register(registry);
        JoinOperators.Register(registry);
        IndexingOperators.Register(registry);
        ConstantOperators.Register(registry);
        PadOperator.Register(registry);
        return registry;
    }
}
