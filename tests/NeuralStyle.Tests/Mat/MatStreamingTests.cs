using System.Diagnostics;
using NeuralStyle.Weights.Mat;
using Xunit;
using Xunit.Abstractions;
using W = NeuralStyle.Tests.Mat.MatTestWriter;

namespace NeuralStyle.Tests.Mat;

/// <summary>
/// Large files made in the test: reading must stream, i.e. allocate little beyond the arrays it returns (no
/// buffer of a whole compressed element's decompressed bytes), and must be fast.
/// </summary>
public sealed class MatStreamingTests(ITestOutputHelper output)
{
    private const int Arrays = 10;
    private const int ValuesPerArray = 1_250_000;
    private const long DataBytes = (long)Arrays * ValuesPerArray * sizeof(float);

    [Fact]
    public void Large_compressed_cell_is_read_with_allocations_close_to_the_data_size()
    {
        // One compressed element holding a cell of ten 5 MB single arrays, like MatConvNet's 'layers' variable.
        var w = new W();
        byte[] file = w.File(w.Compressed(w.Cell("layers", [1, Arrays], [.. Enumerable.Range(0, Arrays).Select(i => w.Single("", [1000, 1250], Values(i)))])));

        (MatFileContents contents, long allocated, TimeSpan elapsed) = Measure(new MemoryStream(file, writable: false));

        output.WriteLine($"compressed: {file.Length} bytes, allocated {allocated} for {DataBytes} bytes of data ({(double)allocated / DataBytes:0.000} x) in {elapsed.TotalMilliseconds:0} ms");
        Assert.InRange(allocated, DataBytes, (long)(DataBytes * 1.3));
        var layers = Assert.IsType<MatCellArray>(contents["layers"]);
        for (int i = 0; i < Arrays; i++)
        {
            Assert.Equal(Values(i), Assert.IsType<MatNumericArray>(layers[i]).GetReal<float>());
        }
    }

    [Fact]
    public void Large_uncompressed_big_endian_file_is_read_with_allocations_close_to_the_data_size()
    {
        var w = new W(bigEndian: true);
        byte[] file = w.File([.. Enumerable.Range(0, Arrays).Select(i => w.Single($"a{i}", [1250, 1000], Values(i)))]);

        (MatFileContents contents, long allocated, TimeSpan elapsed) = Measure(new MemoryStream(file, writable: false));

        output.WriteLine($"uncompressed big-endian: allocated {(double)allocated / DataBytes:0.000} x the data in {elapsed.TotalMilliseconds:0} ms ({DataBytes / 1e6 / elapsed.TotalSeconds:0} MB/s)");
        Assert.InRange(allocated, DataBytes, (long)(DataBytes * 1.1));
        Assert.Equal(MatByteOrder.BigEndian, contents.ByteOrder);
        for (int i = 0; i < Arrays; i++)
        {
            Assert.Equal(Values(i), ((MatNumericArray)contents[$"a{i}"]).GetReal<float>());
        }
    }

    [Fact]
    public void Non_seekable_compressed_stream_grows_arrays_with_the_data()
    {
        // Without a known length nothing proves that a declared array is backed by data, so arrays grow as it
        // arrives: more allocation than with a file, but still bounded by what the input holds.
        var w = new W();
        byte[] file = w.File(w.Compressed(w.Cell("layers", [1, 4], [.. Enumerable.Range(0, 4).Select(i => w.Single("", [1000, 1250], Values(i)))])));

        (MatFileContents contents, long allocated, _) = Measure(new NonSeekableStream(new MemoryStream(file, writable: false)));

        long data = 4L * ValuesPerArray * sizeof(float);
        output.WriteLine($"non-seekable: allocated {(double)allocated / data:0.000} x the data");
        Assert.InRange(allocated, data, data * 3);
        Assert.Equal(Values(3), ((MatNumericArray)((MatCellArray)contents["layers"])[3]).GetReal<float>());
    }

    [Fact]
    public void Uncompressed_single_data_is_read_in_bulk()
    {
        // 100 MB in one array through the bulk path (one read into the array). The speed is reported, not
        // asserted: on a shared 2-core machine running other test classes a bound would only be noise.
        var w = new W();
        float[] values = new float[25_000_000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i * 0.5f;
        }

        byte[] file = w.File(w.Single("big", [5000, 5000], values));
        string path = Path.Combine(Path.GetTempPath(), $"mat-speed-{Guid.NewGuid():N}.mat");
        File.WriteAllBytes(path, file);
        try
        {
            MatFile.Read(path);
            var clock = Stopwatch.StartNew();
            MatFileContents contents = MatFile.Read(path);
            double seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"uncompressed single from file: {file.Length / 1e6 / seconds:0} MB/s");
            Assert.Equal(values, ((MatNumericArray)contents["big"]).GetReal<float>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (MatFileContents Contents, long Allocated, TimeSpan Elapsed) Measure(Stream stream)
    {
        using (stream)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            long before = GC.GetAllocatedBytesForCurrentThread();
            MatFileContents contents = MatFile.Read(stream, "large.mat");
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            return (contents, allocated, clock.Elapsed);
        }
    }

    /// <summary>Pseudo-random floats (xorshift), so that zlib cannot shrink them much: like real weights.</summary>
    private static float[] Values(int seed)
    {
        var values = new float[ValuesPerArray];
        uint state = 2463534242u + (uint)seed;
        for (int i = 0; i < values.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            values[i] = (state / (float)uint.MaxValue) - 0.5f;
        }

        return values;
    }
}
