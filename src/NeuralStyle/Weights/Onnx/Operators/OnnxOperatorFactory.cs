namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>Builds the operator for one node, reading and validating its attributes.</summary>
internal delegate OnnxOperator OnnxOperatorFactory(OnnxNodeContext node);
