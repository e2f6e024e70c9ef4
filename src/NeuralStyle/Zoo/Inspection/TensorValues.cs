using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inspection;

/// <summary>The tensors inside a module's input or result (a tensor, a tuple of tensors, a list of tensors).</summary>
internal static class TensorValues
{
    /// <summary>The tensors of <paramref name="value"/>, in order; empty when there are none.</summary>
    public static IEnumerable<Tensor> Of(object? value)
    {
        switch (value)
        {
            case Tensor tensor:
                yield return tensor;
                break;
            case ITuple tuple:
                for (int i = 0; i < tuple.Length; i++)
                {
                    foreach (Tensor t in Of(tuple[i]))
                    {
                        yield return t;
                    }
                }

                break;
            case IEnumerable<Tensor> tensors:
                foreach (Tensor t in tensors)
                {
                    yield return t;
                }

                break;
        }
    }

    /// <summary>The first tensor of <paramref name="value"/>, or null.</summary>
    public static Tensor? First(object? value) => Of(value).FirstOrDefault();
}
