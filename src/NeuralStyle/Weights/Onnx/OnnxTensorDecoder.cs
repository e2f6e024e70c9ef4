using System.Runtime.InteropServices;
using Google.Protobuf;
using NeuralStyle.Tensors;
using NeuralStyle.Weights.Onnx.Proto;

namespace NeuralStyle.Weights.Onnx;

/// <summary>Turns a TensorProto into <see cref="OnnxTensorData"/>, checking every length before allocating.</summary>
internal static class OnnxTensorDecoder
{
    /// <summary>Decodes <paramref name="proto"/>; <paramref name="what"/> names the tensor in error messages.</summary>
    public static OnnxTensorData Decode(TensorProto proto, string sourceName, string what)
    {
        if (proto.DataLocation == TensorProto.Types.DataLocation.External || proto.ExternalData.Count > 0)
        {
            string location = proto.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value ?? "(no location given)";
            throw new OnnxUnsupportedException(
                sourceName, $"{what} keeps its data in the external file '{location}'; external data is not supported (save the model with its weights inside)");
        }

        if (proto.Segment is not null)
        {
            throw new OnnxUnsupportedException(sourceName, $"{what} is a segment of a larger tensor; segmented tensors are not supported");
        }

        var type = (OnnxDataType)proto.DataType;
        long[] dims = proto.Dims.ToArray();
        long count = ElementCount(dims, sourceName, what);
        string declared = $"{what} declares dims [{string.Join(",", dims)}] ({count} elements)";

        if (proto.HasRawData)
        {
            if (HasTypedData(proto))
            {
                throw new OnnxFormatException(sourceName, $"{what} has both raw_data and typed data fields");
            }

            return DecodeRaw(proto.Name, proto.RawData, type, dims, count, sourceName, what, declared);
        }

        Array values = type switch
        {
            OnnxDataType.Float => Typed(proto.FloatData, count, declared, sourceName, "float_data"),
            OnnxDataType.Double => Typed(proto.DoubleData, count, declared, sourceName, "double_data"),
            OnnxDataType.Int64 => Typed(proto.Int64Data, count, declared, sourceName, "int64_data"),
            OnnxDataType.Int32 => Typed(proto.Int32Data, count, declared, sourceName, "int32_data"),
            OnnxDataType.Int16 => Typed(proto.Int32Data, count, declared, sourceName, "int32_data").Select(v => (short)v).ToArray(),
            OnnxDataType.Int8 => Typed(proto.Int32Data, count, declared, sourceName, "int32_data").Select(v => (sbyte)v).ToArray(),
            OnnxDataType.UInt8 => Typed(proto.Int32Data, count, declared, sourceName, "int32_data").Select(v => (byte)v).ToArray(),
            OnnxDataType.Bool => Typed(proto.Int32Data, count, declared, sourceName, "int32_data").Select(v => v != 0).ToArray(),
            // Half-precision values travel as their 16 bits in int32_data.
            OnnxDataType.Float16 => Typed(proto.Int32Data, count, declared, sourceName, "int32_data").Select(v => (float)BitConverter.UInt16BitsToHalf((ushort)v)).ToArray(),
            OnnxDataType.BFloat16 => Typed(proto.Int32Data, count, declared, sourceName, "int32_data").Select(v => BFloat16ToSingle((ushort)v)).ToArray(),
            _ => throw Unsupported(type, sourceName, what),
        };
        return new OnnxTensorData(proto.Name, type, dims, values);
    }

    /// <summary>The product of the dimensions, refusing negative ones and products beyond what an array can hold.</summary>
    public static long ElementCount(IReadOnlyList<long> dims, string sourceName, string what)
    {
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0)
            {
                throw new OnnxFormatException(sourceName, $"{what} has a negative dimension in [{string.Join(",", dims)}]");
            }

            // A corrupt dimension can be as large as 2^63; stop before the product overflows or outgrows an array.
            if (d != 0 && count > Array.MaxLength / d)
            {
                throw new OnnxFormatException(sourceName, $"{what} declares dims [{string.Join(",", dims)}], more elements than any tensor can hold");
            }

            count *= d;
        }

        if (count == 0 && !TensorShapes.IsAddressable(dims.ToArray()))
        {
            // An empty tensor's other dimensions are bounded by nothing above, and LibTorch refuses them with a bare native error.
            throw new OnnxFormatException(sourceName, $"{what} declares dims [{string.Join(",", dims)}], which hold no elements but multiply beyond what a tensor can describe");
        }

        return count;
    }

    private static OnnxTensorData DecodeRaw(string name, ByteString raw, OnnxDataType type, long[] dims, long count, string sourceName, string what, string declared)
    {
        int size = type switch
        {
            OnnxDataType.Float or OnnxDataType.Int32 => 4,
            OnnxDataType.Double or OnnxDataType.Int64 => 8,
            OnnxDataType.Int16 or OnnxDataType.Float16 or OnnxDataType.BFloat16 => 2,
            OnnxDataType.Int8 or OnnxDataType.UInt8 or OnnxDataType.Bool => 1,
            _ => throw Unsupported(type, sourceName, what),
        };
        if (raw.Length % size != 0 || raw.Length / size != count)
        {
            throw new OnnxFormatException(sourceName, $"{declared} but its raw_data has {raw.Length} bytes, not {count * size}");
        }

        // ONNX stores raw data little-endian, which is every platform .NET runs TorchSharp on.
        ReadOnlySpan<byte> bytes = raw.Span;
        Array values = type switch
        {
            OnnxDataType.Float => MemoryMarshal.Cast<byte, float>(bytes).ToArray(),
            OnnxDataType.Int32 => MemoryMarshal.Cast<byte, int>(bytes).ToArray(),
            OnnxDataType.Double => MemoryMarshal.Cast<byte, double>(bytes).ToArray(),
            OnnxDataType.Int64 => MemoryMarshal.Cast<byte, long>(bytes).ToArray(),
            OnnxDataType.Int16 => MemoryMarshal.Cast<byte, short>(bytes).ToArray(),
            OnnxDataType.Float16 => Array.ConvertAll(MemoryMarshal.Cast<byte, Half>(bytes).ToArray(), h => (float)h),
            OnnxDataType.BFloat16 => Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(bytes).ToArray(), BFloat16ToSingle),
            OnnxDataType.Int8 => MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray(),
            OnnxDataType.UInt8 => bytes.ToArray(),
            OnnxDataType.Bool => Array.ConvertAll(bytes.ToArray(), b => b != 0),
            _ => throw Unsupported(type, sourceName, what),
        };
        return new OnnxTensorData(name, type, dims, values);
    }

    private static T[] Typed<T>(Google.Protobuf.Collections.RepeatedField<T> field, long count, string declared, string sourceName, string fieldName)
    {
        if (field.Count != count)
        {
            throw new OnnxFormatException(sourceName, $"{declared} but its {fieldName} holds {field.Count}");
        }

        return field.ToArray();
    }

    private static bool HasTypedData(TensorProto p) =>
        p.FloatData.Count + p.DoubleData.Count + p.Int32Data.Count + p.Int64Data.Count + p.Uint64Data.Count + p.StringData.Count > 0;

    private static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    private static OnnxUnsupportedException Unsupported(OnnxDataType type, string sourceName, string what) =>
        new(sourceName, $"{what} has element type {type}, which is not supported");
}
