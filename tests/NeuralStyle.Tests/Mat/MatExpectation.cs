using System.Globalization;
using System.Text.Json;
using NeuralStyle.Weights.Mat;
using Xunit;

namespace NeuralStyle.Tests.Mat;

/// <summary>
/// Compares what the reader made of a fixture with the fixture's <c>.expected.json</c>, which
/// make_mat_fixtures.py wrote from scipy.io.loadmat's reading of the same file (format in that script).
/// </summary>
internal static class MatExpectation
{
    public static void AssertFile(JsonElement expected, MatFileContents actual)
    {
        Assert.Equal(expected.GetProperty("header_text").GetString(), actual.HeaderText);
        Assert.Equal(
            expected.GetProperty("byte_order").GetString() == "big" ? MatByteOrder.BigEndian : MatByteOrder.LittleEndian,
            actual.ByteOrder);

        JsonElement[] variables = [.. expected.GetProperty("variables").EnumerateArray()];
        Assert.Equal(variables.Select(v => v.GetProperty("name").GetString()), actual.VariableNames);
        foreach (JsonElement variable in variables)
        {
            string name = variable.GetProperty("name").GetString()!;
            MatArray array = actual[name];
            Assert.Equal(name, array.Name);
            Assert.True(variable.GetProperty("global").GetBoolean() == array.IsGlobal, $"{name}: global flag");
            AssertArray(variable, array, name);
        }
    }

    public static void AssertArray(JsonElement expected, MatArray actual, string path)
    {
        string cls = expected.GetProperty("class").GetString()!;
        int[] dims = [.. expected.GetProperty("dims").EnumerateArray().Select(d => d.GetInt32())];
        Assert.True(dims.SequenceEqual(actual.Dimensions),
            $"{path}: dims {string.Join('x', dims)} expected, got {actual.DimensionsText}");
        switch (cls)
        {
            case "cell":
                var cell = Assert.IsType<MatCellArray>(actual);
                JsonElement[] elements = [.. expected.GetProperty("elements").EnumerateArray()];
                Assert.Equal(elements.Length, cell.Count);
                for (int i = 0; i < elements.Length; i++)
                {
                    AssertArray(elements[i], cell[i], $"{path}{{{i + 1}}}");
                }

                break;
            case "struct" or "object":
                AssertStruct(expected, actual, path, cls == "object");
                break;
            case "char":
                var chars = Assert.IsType<MatCharArray>(actual);
                Assert.Equal(expected.GetProperty("chars_f").GetString(), chars.ColumnMajorCharacters);
                Assert.Equal(expected.GetProperty("rows").EnumerateArray().Select(r => r.GetString()!), chars.Rows);
                break;
            case "sparse":
                AssertSparse(expected, Assert.IsType<MatSparseArray>(actual), path);
                break;
            default:
                AssertNumeric(expected, Assert.IsType<MatNumericArray>(actual), cls, path);
                break;
        }
    }

    private static void AssertStruct(JsonElement expected, MatArray actual, string path, bool isObject)
    {
        var structure = Assert.IsAssignableFrom<MatStructArray>(actual);
        if (isObject)
        {
            var obj = Assert.IsType<MatObjectArray>(actual);
            Assert.Equal(MatClass.Object, obj.Class);
            Assert.Equal(expected.GetProperty("classname").GetString(), obj.ClassName);
        }
        else
        {
            Assert.IsNotType<MatObjectArray>(actual);
            Assert.Equal(MatClass.Struct, structure.Class);
        }

        string[] fields = [.. expected.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!)];
        Assert.Equal(fields, structure.FieldNames);
        JsonElement[] elements = [.. expected.GetProperty("elements").EnumerateArray()];
        Assert.Equal(elements.Length, structure.Count);
        for (int e = 0; e < elements.Length; e++)
        {
            Assert.Equal(fields, structure.Elements[e].Keys);
            foreach (string field in fields)
            {
                string where = elements.Length == 1 ? $"{path}.{field}" : $"{path}({e + 1}).{field}";
                AssertArray(elements[e].GetProperty(field), structure.Field(field, e), where);
                Assert.Same(structure.Field(field, e), structure.Elements[e][field]);
            }
        }
    }

    private static void AssertSparse(JsonElement expected, MatSparseArray actual, string path)
    {
        Assert.Equal(MatClass.Sparse, actual.Class);
        Assert.Equal(Ints(expected.GetProperty("ir")), actual.RowIndices);
        Assert.Equal(Ints(expected.GetProperty("jc")), actual.ColumnStarts);
        double[] real = Doubles(expected.GetProperty("real"));
        Assert.Equal(expected.GetProperty("logical").GetBoolean(), actual.IsLogical);
        Assert.Equal(expected.GetProperty("complex").GetBoolean(), actual.IsComplex);
        if (actual.IsLogical)
        {
            Assert.Equal(real.Select(v => v != 0), actual.LogicalValues!);
        }
        else
        {
            AssertSameDoubles(real, actual.RealValues!, $"{path} (pr)");
        }

        if (actual.IsComplex)
        {
            AssertSameDoubles(Doubles(expected.GetProperty("imag")), actual.ImaginaryValues!, $"{path} (pi)");
        }

        // The dense form, checked entry by entry against the compressed columns.
        MatNumericArray dense = actual.ToDense();
        Assert.Equal(actual.Dimensions, dense.Dimensions);
        double[] full = dense.ToDoubleColumnMajor();
        Assert.Equal(actual.ElementCount, full.Length);
        for (int column = 0; column < actual.ColumnCount; column++)
        {
            for (int k = actual.ColumnStarts[column]; k < actual.ColumnStarts[column + 1]; k++)
            {
                double want = actual.IsLogical ? 1 : actual.RealValues![k];
                Assert.Equal(want, full[actual.RowIndices[k] + (column * actual.RowCount)]);
            }
        }

        Assert.Equal(actual.RowIndices.Length, actual.NonZeroCount);
    }

    private static void AssertNumeric(JsonElement expected, MatNumericArray actual, string cls, string path)
    {
        if (cls == "logical")
        {
            Assert.True(actual.IsLogical, $"{path}: logical flag");
            Assert.Equal(MatClass.UInt8, actual.Class);
        }
        else
        {
            Assert.False(actual.IsLogical, $"{path}: logical flag");
            Assert.Equal(cls, actual.Class.ToString().ToLowerInvariant());
        }

        Assert.Equal(expected.GetProperty("complex").GetBoolean(), actual.IsComplex);
        Assert.Equal(ExpectedElementType(actual.Class), actual.ElementType);
        Assert.Equal(actual.ElementCount, actual.Real.Length);
        AssertValues(expected.GetProperty("real_f"), actual.Real, $"{path} (real, column-major)");
        AssertRowMajor(expected.GetProperty("real_c"), actual.ToDoubleRowMajor(), actual.ToSingleRowMajor(), $"{path} (real, row-major)");
        if (actual.IsComplex)
        {
            AssertValues(expected.GetProperty("imag_f"), actual.Imaginary!, $"{path} (imaginary, column-major)");
            AssertSameDoubles(Doubles(expected.GetProperty("imag_c")), actual.ImaginaryToDoubleRowMajor(), $"{path} (imaginary, row-major)");
        }

        if (cls == "logical")
        {
            Assert.Equal(Doubles(expected.GetProperty("real_f")).Select(v => v != 0), actual.ToBooleanArray());
        }

        if (actual.ElementCount == 1)
        {
            Assert.Equal(Doubles(expected.GetProperty("real_f"))[0], actual.ScalarValue);
        }
    }

    private static Type ExpectedElementType(MatClass cls) => cls switch
    {
        MatClass.Double => typeof(double),
        MatClass.Single => typeof(float),
        MatClass.Int8 => typeof(sbyte),
        MatClass.UInt8 => typeof(byte),
        MatClass.Int16 => typeof(short),
        MatClass.UInt16 => typeof(ushort),
        MatClass.Int32 => typeof(int),
        MatClass.UInt32 => typeof(uint),
        MatClass.Int64 => typeof(long),
        MatClass.UInt64 => typeof(ulong),
        _ => throw new ArgumentOutOfRangeException(nameof(cls)),
    };

    /// <summary>Integers exactly (as decimal, so that uint64 extremes survive); floats bit for bit.</summary>
    private static void AssertValues(JsonElement expected, Array actual, string path)
    {
        JsonElement[] values = [.. expected.EnumerateArray()];
        Assert.Equal(values.Length, actual.Length);
        for (int i = 0; i < values.Length; i++)
        {
            object? item = actual.GetValue(i);
            switch (item)
            {
                case double d:
                    AssertSameDouble(Double(values[i]), d, $"{path}[{i}]");
                    break;
                case float f:
                    AssertSameDouble(Double(values[i]), f, $"{path}[{i}]");
                    break;
                default:
                    decimal want = values[i].GetDecimal();
                    decimal got = Convert.ToDecimal(item, CultureInfo.InvariantCulture);
                    Assert.True(want == got, $"{path}[{i}]: expected {want}, got {got}");
                    break;
            }
        }
    }

    private static void AssertRowMajor(JsonElement expected, double[] doubles, float[] singles, string path)
    {
        JsonElement[] values = [.. expected.EnumerateArray()];
        Assert.Equal(values.Length, doubles.Length);
        Assert.Equal(values.Length, singles.Length);
        for (int i = 0; i < values.Length; i++)
        {
            // Integers as written (uint64 extremes do not survive a double parse of the text); the rest as doubles.
            double want = values[i].ValueKind == JsonValueKind.Number && values[i].GetRawText().All(c => char.IsAsciiDigit(c) || c == '-')
                ? (double)values[i].GetDecimal()
                : Double(values[i]);
            AssertSameDouble(want, doubles[i], $"{path}[{i}] as double");
            AssertSameDouble((float)want, singles[i], $"{path}[{i}] as single");
        }
    }

    private static void AssertSameDoubles(double[] expected, double[] actual, string path)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            AssertSameDouble(expected[i], actual[i], $"{path}[{i}]");
        }
    }

    private static void AssertSameDouble(double expected, double actual, string where)
    {
        bool same = double.IsNaN(expected) ? double.IsNaN(actual) : BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual);
        Assert.True(same, $"{where}: expected {expected:R}, got {actual:R}");
    }

    private static double Double(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new FormatException($"unexpected value '{s}'"),
        },
        _ => value.GetDouble(),
    };

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(Double)];

    private static int[] Ints(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetInt32())];
}
