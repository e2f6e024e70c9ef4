using NeuralStyle.Weights.Mat;
using Xunit;

namespace NeuralStyle.Tests.Mat;

/// <summary>Files that are not Level 5 MAT-files, or hold arrays the reader does not support, give clear messages.</summary>
public sealed class MatRefusalTests
{
    [Fact]
    public void Level4_file_is_recognised_and_refused()
    {
        MatFileException e = ReadFails("octave-v4.mat");
        Assert.Contains("Level 4 MAT-file (MATLAB 4 format)", e.Message);
        Assert.Contains("-v7", e.Message);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void V73_file_is_recognised_and_refused_with_how_to_resave()
    {
        MatFileException e = ReadFails("hand-v73.mat");
        Assert.Contains("v7.3", e.Message);
        Assert.Contains("HDF5", e.Message);
        Assert.Contains("save('file.mat', '-v7')", e.Message);
    }

    [Fact]
    public void Plain_hdf5_file_is_refused()
    {
        MatFileException e = ReadFails("octave-hdf5.mat");
        Assert.Contains("HDF5 file", e.Message);
        Assert.Contains("-v7", e.Message);
    }

    [Fact]
    public void Png_is_not_a_mat_file()
    {
        MatFileException e = ReadFails("not-a-mat.png");
        Assert.Contains("not a MAT-file", e.Message);
    }

    [Fact]
    public void Function_handle_is_refused_naming_the_variable()
    {
        MatFileException e = ReadFails("hand-function-handle.mat");
        Assert.Contains("variable 'fh' is a function handle", e.Message);
    }

    [Fact]
    public void Opaque_object_is_refused_naming_the_variable()
    {
        MatFileException e = ReadFails("hand-opaque.mat");
        Assert.Contains("variable 'op' is an opaque object", e.Message);
    }

    [Fact]
    public void Octaves_logical_sparse_with_uint8_class_is_rejected_cleanly()
    {
        // Octave 7 writes the sparse structure under class uint8; scipy.io.loadmat fails on it as well.
        MatFileException e = ReadFails("octave-sparse-logical.mat");
        Assert.Contains("sp_logical", e.Message);
    }

    [Fact]
    public void Empty_file()
    {
        MatFileException e = ReadBytesFails([]);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void File_of_127_bytes_is_too_short_for_a_header()
    {
        byte[] header = new MatTestWriter().Header();
        MatFileException e = ReadBytesFails(header[..127]);
        Assert.Contains("128-byte header", e.Message);
        Assert.Contains("127", e.Message);
    }

    [Fact]
    public void Header_only_file_has_no_variables()
    {
        MatFileContents contents = MatFile.Read(new MemoryStream(new MatTestWriter().Header()), "header-only.mat");
        Assert.Empty(contents.Variables);
        Assert.Equal("MATLAB 5.0 MAT-file, written by MatTestWriter", contents.HeaderText);
    }

    [Fact]
    public void Bad_endian_indicator()
    {
        byte[] header = new MatTestWriter().Header();
        header[126] = (byte)'X';
        MatFileException e = ReadBytesFails(header);
        Assert.Contains("endian indicator", e.Message);
        Assert.Equal(126, e.Offset);
    }

    [Fact]
    public void Unknown_version()
    {
        byte[] header = new MatTestWriter().Header();
        header[124] = 0x00;
        header[125] = 0x03;
        Assert.Contains("version 0x0300", ReadBytesFails(header).Message);
    }

    [Fact]
    public void Text_file_is_not_a_mat_file()
    {
        byte[] text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("just some text\n", 20)));
        Assert.Contains("not a MAT-file", ReadBytesFails(text).Message);
    }

    [Fact]
    public void Binary_file_with_zero_bytes_is_not_called_level4()
    {
        byte[] junk = [0xFF, 0x00, 0xFF, 0xFF, .. Enumerable.Repeat((byte)0xEE, 200)];
        MatFileException e = ReadBytesFails(junk);
        Assert.DoesNotContain("this is a Level 4", e.Message);
        Assert.Contains("not a MAT-file", e.Message);
    }

    internal static MatFileException ReadFails(string fixture)
    {
        string path = MatFixtures.Path_(fixture);
        var e = Assert.Throws<MatFileException>(() => MatFile.Read(path));
        Assert.StartsWith($"{path}: byte ", e.Message);
        Assert.Equal(path, e.SourceName);
        return e;
    }

    internal static MatFileException ReadBytesFails(byte[] bytes, string name = "bad.mat")
    {
        var e = Assert.Throws<MatFileException>(() => MatFile.Read(new MemoryStream(bytes), name));
        Assert.StartsWith($"{name}: byte ", e.Message);
        return e;
    }
}
