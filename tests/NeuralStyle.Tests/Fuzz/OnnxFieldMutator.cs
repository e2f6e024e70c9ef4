using Google.Protobuf;
using NeuralStyle.Weights.Onnx.Proto;

namespace NeuralStyle.Tests.Fuzz;

/// <summary>
/// Structure-aware ONNX mutants: the model stays valid protobuf, and one integer field that sizes or indexes
/// something (an attribute, an initializer's dimension or integer value, a declared input dimension) gets an extreme
/// or small value. Byte mutations rarely get past protobuf decoding this cleanly; these reach the operators.
/// </summary>
internal static class OnnxFieldMutator
{
    private static readonly long[] Extremes = [0, 1, 2, 3, -1, -2, 7, 64, 4097, 65536, 65537, 1L << 31, 1L << 40, long.MaxValue, long.MinValue];

    public static (byte[] Bytes, string Description) Mutate(FuzzRandom random, byte[] seed)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(seed);
        List<(string Where, Action<long> Set)> setters = Setters(model.Graph);
        (string where, Action<long> set) = random.Pick(setters);
        long value = random.Chance(50) ? random.Pick(Extremes) : random.Next(601) - 300;
        set(value);
        return (model.ToByteArray(), $"set {where} to {value}");
    }

    private static List<(string Where, Action<long> Set)> Setters(GraphProto g)
    {
        var setters = new List<(string, Action<long>)>();
        foreach (NodeProto node in g.Node)
        {
            foreach (AttributeProto a in node.Attribute)
            {
                if (a.Type == AttributeProto.Types.AttributeType.Int)
                {
                    setters.Add(($"{node.Output[0]}.{a.Name}", v => a.I = v));
                }

                for (int i = 0; i < a.Ints.Count; i++)
                {
                    int k = i;
                    setters.Add(($"{node.Output[0]}.{a.Name}[{k}]", v => a.Ints[k] = v));
                }
            }
        }

        foreach (TensorProto t in g.Initializer)
        {
            for (int i = 0; i < t.Dims.Count; i++)
            {
                int k = i;
                setters.Add(($"{t.Name}.dims[{k}]", v => t.Dims[k] = v));
            }

            // Integer initializers are shapes, axes and pads: their values matter as much as attributes.
            for (int i = 0; i < t.Int64Data.Count; i++)
            {
                int k = i;
                setters.Add(($"{t.Name}[{k}]", v => t.Int64Data[k] = v));
            }
        }

        foreach (ValueInfoProto input in g.Input)
        {
            for (int i = 0; i < input.Type.TensorType.Shape.Dim.Count; i++)
            {
                int k = i;
                setters.Add(($"{input.Name}.shape[{k}]", v => input.Type.TensorType.Shape.Dim[k].DimValue = v));
            }
        }

        return setters;
    }
}
