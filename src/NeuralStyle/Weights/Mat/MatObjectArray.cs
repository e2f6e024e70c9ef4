namespace NeuralStyle.Weights.Mat;

/// <summary>An old-style MATLAB object (class 3): a struct array tagged with its class name.</summary>
public sealed class MatObjectArray : MatStructArray
{
    internal MatObjectArray(string name, int[] dimensions, bool isGlobal, string className, string[] fieldNames, IReadOnlyList<MatArray> values)
        : base(name, dimensions, MatClass.Object, isGlobal, fieldNames, values)
    {
        ClassName = className;
    }

    public string ClassName { get; }

    public override string ToString() => $"{base.ToString()} ({ClassName})";
}
