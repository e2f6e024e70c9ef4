using NeuralStyle.Weights.Mat;
using Xunit;
using W = NeuralStyle.Tests.Mat.MatTestWriter;

namespace NeuralStyle.Tests.Mat;

/// <summary>The accessors' behaviour beyond what the fixture comparison covers.</summary>
public sealed class MatApiTests
{
    private static readonly MatFileContents Spread = MatFile.Read(MatFixtures.Path_("scipy-v5.mat"));

    [Fact]
    public void Row_major_conversion_of_a_4d_array_follows_c_order()
    {
        var nd4 = (MatNumericArray)Spread["nd4"];
        Assert.Equal([2, 3, 4, 5], nd4.Dimensions);
        float[] column = nd4.GetReal<float>();
        float[] row = nd4.ToSingleRowMajor();
        double[] rowDouble = nd4.ToDoubleRowMajor();
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 4; k++)
                {
                    for (int l = 0; l < 5; l++)
                    {
                        float value = column[i + (2 * (j + (3 * (k + (4 * l)))))];
                        Assert.Equal(value, row[(((((i * 3) + j) * 4) + k) * 5) + l]);
                        Assert.Equal(value, rowDouble[(((((i * 3) + j) * 4) + k) * 5) + l]);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(70, 45)]
    [InlineData(1, 33)]
    [InlineData(33, 1)]
    [InlineData(64, 64)]
    public void Row_major_conversion_of_matrices_of_awkward_sizes(int rows, int cols)
    {
        var w = new W();
        double[] data = [.. Enumerable.Range(0, rows * cols).Select(i => (double)i)];
        var m = (MatNumericArray)MatFile.Read(new MemoryStream(w.File(w.Double("m", [rows, cols], data))), "m.mat")["m"];
        double[] row = m.ToDoubleRowMajor();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                Assert.Equal(data[r + (c * rows)], row[(r * cols) + c]);
            }
        }
    }

    [Fact]
    public void Row_major_with_singleton_dimensions_in_between()
    {
        var w = new W();
        double[] data = [.. Enumerable.Range(0, 12).Select(i => (double)i)];
        var m = (MatNumericArray)MatFile.Read(new MemoryStream(w.File(w.Double("m", [3, 1, 4, 1], data))), "m.mat")["m"];
        Assert.Equal([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11], m.ToDoubleRowMajor());
    }

    [Fact]
    public void Typed_access_checks_the_exact_element_type()
    {
        var i8 = (MatNumericArray)Spread["i8"];
        Assert.Equal([-128, -1, 0, 127], i8.GetReal<sbyte>());

        // The CLR would let an sbyte[] pass for a byte[]: the accessor must not.
        Assert.Throws<InvalidOperationException>(() => i8.GetReal<byte>());
        Assert.Throws<InvalidOperationException>(() => ((MatNumericArray)Spread["d_mat"]).GetReal<float>());
        Assert.Throws<InvalidOperationException>(() => ((MatNumericArray)Spread["d_mat"]).GetImaginary<double>());
        Assert.Equal([254.0, 255.0], ((MatNumericArray)Spread["u8"]).ToDoubleColumnMajor()[2..]);
        Assert.Equal([2.0, 1.0, -4.0, 0.0], ((MatNumericArray)Spread["c_double"]).GetImaginary<double>());
    }

    [Fact]
    public void Scalars_and_booleans()
    {
        Assert.Equal(3.5, ((MatNumericArray)Spread["d_scalar"]).ScalarValue);
        Assert.Throws<InvalidOperationException>(() => ((MatNumericArray)Spread["d_row"]).ScalarValue);
        var logical = (MatNumericArray)Spread["b_logical"];
        Assert.True(logical.IsLogical);
        Assert.Equal([true, false, false, false, true, true], logical.ToBooleanArray());
        Assert.True(logical.GetBoolean(0));
        Assert.False(logical.GetBoolean(1));
    }

    [Fact]
    public void Char_rows_and_text()
    {
        Assert.Equal("Hello, MAT-file", ((MatCharArray)Spread["str_ascii"]).Text);
        Assert.Equal("héllo wörld ✓ Ωμέγα", ((MatCharArray)Spread["str_unicode"]).Text);
        Assert.Equal(string.Empty, ((MatCharArray)Spread["str_empty"]).Text);
        var multi = (MatCharArray)Spread["str_multi"];
        Assert.Equal(["abc", "def", "ghi"], multi.Rows);
        Assert.Contains("3 rows", Assert.Throws<InvalidOperationException>(() => multi.Text).Message);
    }

    [Fact]
    public void Cell_indexers()
    {
        var cell = (MatCellArray)Spread["cell_mixed"];
        Assert.Equal(4, cell.Count);
        Assert.Equal("two", ((MatCharArray)cell[1, 0]).Text);
        Assert.Same(cell[1], cell[1, 0]);
        Assert.Same(cell[2], cell[0, 1]);
        Assert.Equal("seven", ((MatCharArray)((MatCellArray)cell[1, 1])[1]).Text);
        Assert.Throws<ArgumentOutOfRangeException>(() => cell[2, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => cell[0, 2]);
    }

    [Fact]
    public void Struct_accessors()
    {
        var nested = (MatStructArray)Spread["s_nested"];
        Assert.Equal(["alpha", "beta"], nested.FieldNames);
        Assert.Equal(1.0, ((MatNumericArray)nested["alpha"]).ScalarValue);
        var beta = (MatStructArray)nested["beta"];
        Assert.Equal("inner", ((MatCharArray)beta["gamma"]).Text);
        Assert.True(beta.TryGetField("delta", out MatArray? delta));
        Assert.Equal([2, 2], delta.Dimensions);
        Assert.False(beta.TryGetField("nope", out _));
        Assert.True(beta.HasField("gamma"));
        Assert.Contains("gamma, delta", Assert.Throws<KeyNotFoundException>(() => beta["nope"]).Message);

        var array = (MatStructArray)Spread["s_array"];
        Assert.Equal(3, array.Count);
        Assert.Throws<InvalidOperationException>(() => array["x"]);
        Assert.Equal("second", ((MatCharArray)array.Field("x", 1)).Text);
        Assert.True(array.TryGetField("y", 2, out MatArray? y));
        Assert.IsType<MatCellArray>(y);
        Assert.Throws<ArgumentOutOfRangeException>(() => array.Field("x", 3));
        Assert.Equal(["x", "y"], array.Elements[0].Keys);
        Assert.Equal(2, array.Elements[2].Count);
        Assert.Equal(["x", "y"], array.Elements[1].Select(kv => kv.Key));

        var none = (MatStructArray)Spread["s_nofields"];
        Assert.Empty(none.FieldNames);
        Assert.Equal(1, none.Count);
    }

    [Fact]
    public void Sparse_to_dense()
    {
        var sparse = (MatSparseArray)Spread["sp_double"];
        Assert.Equal(4, sparse.RowCount);
        Assert.Equal(5, sparse.ColumnCount);
        Assert.Equal(4, sparse.NonZeroCount);
        double[] dense = sparse.ToDense().ToDoubleRowMajor();
        var expected = new double[20];
        expected[(0 * 5) + 0] = 10;
        expected[(2 * 5) + 1] = -20;
        expected[(3 * 5) + 1] = 30;
        expected[(1 * 5) + 4] = 0.5;
        Assert.Equal(expected, dense);

        MatNumericArray logical = ((MatSparseArray)Spread["sp_logical"]).ToDense();
        Assert.True(logical.IsLogical);
        Assert.Equal(3, logical.ToBooleanArray().Count(b => b));
    }

    [Fact]
    public void Empty_arrays()
    {
        var empty = (MatNumericArray)Spread["e_empty"];
        Assert.True(empty.IsEmpty);
        Assert.Equal(MatClass.Double, empty.Class);
        Assert.Equal([0, 0], empty.Dimensions);
        Assert.Empty(empty.ToDoubleRowMajor());

        MatNumericArray made = MatNumericArray.CreateEmpty();
        Assert.Equal([0, 0], made.Dimensions);
        Assert.Equal(MatClass.Double, made.Class);
        Assert.Equal(string.Empty, made.Name);
    }

    [Fact]
    public void Contents_lookup()
    {
        Assert.True(Spread.Contains("d_mat"));
        Assert.True(Spread.TryGetVariable("d_mat", out MatArray? found));
        Assert.Equal("d_mat", found.Name);
        Assert.False(Spread.TryGetVariable("missing", out _));
        var e = Assert.Throws<KeyNotFoundException>(() => Spread["missing"]);
        Assert.Contains("no variable 'missing'", e.Message);
        Assert.Contains("d_mat", e.Message);
        Assert.Equal(Spread.VariableNames, Spread.OrderedVariables.Select(v => v.Name));
        Assert.Equal(Spread.Variables.Count, Spread.OrderedVariables.Count);
    }

    [Fact]
    public void Dimensions_are_a_copy()
    {
        MatArray m = Spread["d_mat"];
        m.Dimensions[0] = 99;
        Assert.Equal([3, 4], m.Dimensions);
        Assert.Equal("3x4", m.DimensionsText);
        Assert.Equal(1, m.GetDimension(5));
        Assert.Equal(2, m.Rank);
    }

    [Fact]
    public void Global_flag()
    {
        MatFileContents contents = MatFile.Read(MatFixtures.Path_("scipy-global.mat"));
        Assert.True(contents["g"].IsGlobal);
        Assert.False(contents["local"].IsGlobal);
    }

    [Fact]
    public void Missing_file_is_not_a_format_error()
    {
        Assert.Throws<FileNotFoundException>(() => MatFile.Read(Path.Combine(MatFixtures.Directory, "does-not-exist.mat")));
    }
}
