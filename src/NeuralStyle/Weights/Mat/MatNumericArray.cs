using System.Numerics;

namespace NeuralStyle.Weights.Mat;

/// <summary>
/// A full (non-sparse) numeric or logical array. Data stays column-major as stored, in a .NET array whose element
/// type matches the class: double[], float[], sbyte[], byte[], short[], ushort[], int[], uint[], long[], ulong[].
/// </summary>
public sealed class MatNumericArray : MatArray
{
    internal MatNumericArray(string name, int[] dimensions, MatClass matClass, bool isGlobal, bool isLogical, Array real, Array? imaginary)
        : base(name, dimensions, matClass, isGlobal)
    {
        Real = real;
        Imaginary = imaginary;
        IsLogical = isLogical;
    }

    /// <summary>The real part, column-major, typed by <see cref="MatArray.Class"/>.</summary>
    public Array Real { get; }

    /// <summary>The imaginary part for complex arrays, same type and layout as <see cref="Real"/>; else null.</summary>
    public Array? Imaginary { get; }

    public bool IsComplex => Imaginary is not null;

    /// <summary>Whether the logical flag is set (MATLAB stores logical arrays as uint8 with this flag).</summary>
    public bool IsLogical { get; }

    /// <summary>The .NET element type of <see cref="Real"/>.</summary>
    public Type ElementType => Real.GetType().GetElementType()!;

    /// <summary>The value of a 1x1 array as a double.</summary>
    public double ScalarValue
    {
        get
        {
            if (ElementCount != 1)
            {
                throw new InvalidOperationException($"{Describe()} is {DimensionsText}, not a scalar.");
            }

            return GetDouble(0);
        }
    }

    /// <summary>An empty 0x0 double array: what MATLAB writes for <c>[]</c>.</summary>
    public static MatNumericArray CreateEmpty(string name = "") =>
        new(name, [0, 0], MatClass.Double, isGlobal: false, isLogical: false, Array.Empty<double>(), null);

    /// <summary>The real data as <typeparamref name="T"/>[], without copying; throws when the class differs.</summary>
    public T[] GetReal<T>()
        where T : unmanaged =>
        Exactly<T>(Real);

    /// <summary>The imaginary data as <typeparamref name="T"/>[]; throws when the array is real or the class differs.</summary>
    public T[] GetImaginary<T>()
        where T : unmanaged =>
        Exactly<T>(Imaginary ?? throw new InvalidOperationException($"{Describe()} is not complex."));

    /// <summary>One real value by column-major linear index, converted to double.</summary>
    /// <remarks>Dispatches on <see cref="MatArray.Class"/>: the CLR lets a byte[] pass for an sbyte[] (and so on), so type patterns would misread.</remarks>
    public double GetDouble(long linearIndex) => Class switch
    {
        MatClass.Double => ((double[])Real)[linearIndex],
        MatClass.Single => ((float[])Real)[linearIndex],
        MatClass.Int8 => ((sbyte[])Real)[linearIndex],
        MatClass.UInt8 => ((byte[])Real)[linearIndex],
        MatClass.Int16 => ((short[])Real)[linearIndex],
        MatClass.UInt16 => ((ushort[])Real)[linearIndex],
        MatClass.Int32 => ((int[])Real)[linearIndex],
        MatClass.UInt32 => ((uint[])Real)[linearIndex],
        MatClass.Int64 => ((long[])Real)[linearIndex],
        MatClass.UInt64 => ((ulong[])Real)[linearIndex],
        _ => throw new InvalidOperationException($"Unexpected class {Class}."),
    };

    /// <summary>One value by column-major linear index as a boolean (non-zero is true).</summary>
    public bool GetBoolean(long linearIndex) => GetDouble(linearIndex) != 0;

    /// <summary>The real data, column-major, as booleans (non-zero is true); meant for logical arrays.</summary>
    public bool[] ToBooleanArray()
    {
        var result = new bool[Real.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = GetDouble(i) != 0;
        }

        return result;
    }

    /// <summary>The real data converted to double, column-major (as stored).</summary>
    public double[] ToDoubleColumnMajor() => Convert<double>(Real, rowMajor: false);

    /// <summary>The real data converted to single, column-major (as stored).</summary>
    public float[] ToSingleColumnMajor() => Convert<float>(Real, rowMajor: false);

    /// <summary>The real data converted to double in row-major (C) order over the same dimensions.</summary>
    public double[] ToDoubleRowMajor() => Convert<double>(Real, rowMajor: true);

    /// <summary>The real data converted to single in row-major (C) order over the same dimensions.</summary>
    public float[] ToSingleRowMajor() => Convert<float>(Real, rowMajor: true);

    /// <summary>The imaginary data converted to double in row-major order; throws when the array is real.</summary>
    public double[] ImaginaryToDoubleRowMajor() =>
        Convert<double>(Imaginary ?? throw new InvalidOperationException($"{Describe()} is not complex."), rowMajor: true);

    private string Describe() => Name.Length == 0 ? $"This {Class} array" : $"'{Name}'";

    private T[] Exactly<T>(Array data)
        where T : unmanaged =>
        data.GetType() == typeof(T[])
            ? (T[])data
            : throw new InvalidOperationException($"{Describe()} holds {ElementType.Name} data ({Class}), not {typeof(T).Name}.");

    private T[] Convert<T>(Array data, bool rowMajor)
        where T : unmanaged, INumberBase<T> => Class switch
        {
            MatClass.Double => Convert<double, T>((double[])data, rowMajor),
            MatClass.Single => Convert<float, T>((float[])data, rowMajor),
            MatClass.Int8 => Convert<sbyte, T>((sbyte[])data, rowMajor),
            MatClass.UInt8 => Convert<byte, T>((byte[])data, rowMajor),
            MatClass.Int16 => Convert<short, T>((short[])data, rowMajor),
            MatClass.UInt16 => Convert<ushort, T>((ushort[])data, rowMajor),
            MatClass.Int32 => Convert<int, T>((int[])data, rowMajor),
            MatClass.UInt32 => Convert<uint, T>((uint[])data, rowMajor),
            MatClass.Int64 => Convert<long, T>((long[])data, rowMajor),
            MatClass.UInt64 => Convert<ulong, T>((ulong[])data, rowMajor),
            _ => throw new InvalidOperationException($"Unexpected class {Class}."),
        };

    private T[] Convert<TSource, T>(TSource[] source, bool rowMajor)
        where TSource : unmanaged, INumberBase<TSource>
        where T : unmanaged, INumberBase<T>
    {
        T[] result = GC.AllocateUninitializedArray<T>(source.Length);
        if (rowMajor)
        {
            MatLayout.ColumnToRowMajor<TSource, T>(source, result, DimensionsNoCopy);
        }
        else
        {
            MatLayout.Convert<TSource, T>(source, result);
        }

        return result;
    }
}
