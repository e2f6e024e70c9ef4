namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>A sliding-window operator (Conv, MaxPool, AveragePool) whose padding may be "same" padding baked in for one size.</summary>
internal interface IWindowOperator
{
    /// <summary>The window's geometry, including its padding mode.</summary>
    SpatialGeometry Geometry { get; }
}
