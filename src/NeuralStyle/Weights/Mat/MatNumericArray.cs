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
        Real as T[] ?? throw new InvalidOperationException(
            $"{Describe()} holds {ElementType.Name} data ({Class}), not {typeof(T).Name}.");

    /// <summary>The imaginary data as <typeparamref name="T"/>[]; throws when the array is real or the class differs.</summary>
    public T[] GetImaginary<T>()
        where T : unmanaged =>
        Imaginary is null
            ? throw new InvalidOperationException($"{Describe()} is not complex.")
            : Imaginary as T[] ?? throw new InvalidOperationException(
                $"{Describe()} holds {ElementType.Name} data ({Class}), not {typeof(T).Name}.");

    /// <summary>One real value by column-major linear index, converted to double.</summary>
    public double GetDouble(long linearIndex) => Real switch
    {
        double[] a => a[linearIndex],
        float[] a => a[linearIndex],
        sbyte[] a => a[linearIndex],
        byte[] a => a[linearIndex],
        short[] a => a[linearIndex],
        ushort[] a => a[linearIndex],
        int[] a => a[linearIndex],
        uint[] a => a[linearIndex],
        long[] a => a[linearIndex],
        ulong[] a => a[linearIndex],
        _ => throw new InvalidOperationException($"Unexpected data type {Real.GetType()}."),
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

    private T[] Convert<T>(Array data, bool rowMajor)
        where T : unmanaged, INumberBase<T> => data switch
        {
            double[] a => Convert<double, T>(a, rowMajor),
            float[] a => Convert<float, T>(a, rowMajor),
            sbyte[] a => Convert<sbyte, T>(a, rowMajor),
            byte[] a => Convert<byte, T>(a, rowMajor),
            short[] a => Convert<short, T>(a, rowMajor),
            ushort[] a => Convert<ushort, T>(a, rowMajor),
            int[] a => Convert<int, T>(a, rowMajor),
            uint[] a => Convert<uint, T>(a, rowMajor),
            long[] a => Convert<long, T>(a, rowMajor),
            ulong[] a => Convert<ulong, T>(a, rowMajor),
            _ => throw new InvalidOperationException($"Unexpected data type {data.GetType()}."),
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
