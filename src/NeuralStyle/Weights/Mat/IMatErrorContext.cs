namespace NeuralStyle.Weights.Mat;

/// <summary>Supplies where in the variable tree the reader is, for error messages raised deep in the byte layer.</summary>
internal interface IMatErrorContext
{
    /// <summary>A MATLAB-style path such as <c>layers{3}.weights{1}</c>, or null at top level.</summary>
    string? DescribeLocation();
}
