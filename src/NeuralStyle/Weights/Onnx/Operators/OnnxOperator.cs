using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>A node compiled into torch operations; its attributes were checked when it was built.</summary>
internal abstract class OnnxOperator : IDisposable
{
    /// <summary>
    /// Computes the node's outputs. <paramref name="inputs"/> has one entry per node input, null where an optional
    /// input is omitted. The result has one entry per node output (a shorter array leaves the rest unproduced),
    /// and every tensor in it is new: an operator never hands back one of its inputs.
    /// </summary>
    public abstract Tensor?[] Evaluate(Tensor?[] inputs);

    /// <summary>Releases tensors the operator holds (Constant's value); most hold none.</summary>
    public virtual void Dispose()
    {
    }
}

/// <summary>An operator with one output, computed by a function of the inputs.</summary>
internal sealed class SingleOutputOperator(Func<Tensor?[], Tensor> compute) : OnnxOperator
{
    /// <inheritdoc/>
    public override Tensor?[] Evaluate(Tensor?[] inputs) => [compute(inputs)];
}
