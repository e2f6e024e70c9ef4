using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using CsCheck;
using NeuralStyle.Weights.Mat;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Mat;

/// <summary>
/// Valid fixtures, corrupted at random (truncation, bit flips, absurd values in tag and length words, also
/// inside compressed elements, which are re-compressed so that the corruption reaches the parser): reading
/// must succeed or throw a <see cref="MatFileException"/> naming the file, quickly and without large allocations.
/// </summary>
public sealed class MatCorruptionTests(ITestOutputHelper output)
{
    private const int Iterations = 6000;
    private static readonly TimeSpan PerCaseLimit = TimeSpan.FromSeconds(2);
    private const long AllocationLimit = 64L << 20;

    private static readonly uint[] Interesting =
    [
        0, 1, 2, 4, 5, 7, 8, 14, 15, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFF8, 0xFFFF0001, 0x00040005,
        0x00050001, 0x10000, 1000000, 0x40000000,
    ];

    private static readonly Seed[] Seeds = [.. MatFixtures.Readable().Select(f => new Seed(f, File.ReadAllBytes(MatFixtures.Path_(f))))];

    private static readonly Gen<Mutation> GenMutation =
        Gen.Select(Gen.Int[0, 5], Gen.UInt, Gen.UInt, (kind, position, value) => new Mutation(kind, position, value));

    private static readonly Gen<(int Seed, Mutation[] Mutations, bool NonSeekable)> GenCase =
        Gen.Select(Gen.Int[0, Seeds.Length - 1], GenMutation.Array[1, 4], Gen.Bool);

    [Fact]
    public async Task Corrupted_fixtures_are_read_or_rejected_cleanly()
    {
        var tally = new Tally();

        // The whole run is bounded too, so that a hang fails the test instead of stalling the suite.
        var clock = Stopwatch.StartNew();
        var run = Task.Run(() => GenCase.Sample(
            (seed, mutations, nonSeekable) => ReadCorrupted(seed, mutations, nonSeekable, tally), iter: Iterations));
        await run.WaitAsync(TimeSpan.FromSeconds(90)); // a TimeoutException here means a case hangs

        output.WriteLine($"{tally.Read} read, {tally.Rejected} rejected in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(tally.Read + tally.Rejected >= Iterations, $"only {tally.Read + tally.Rejected} cases ran");
        Assert.True(tally.Rejected > Iterations / 4, "too few corruptions reached the parser");
    }

    [Fact]
    public void Every_truncation_of_a_compressed_and_an_uncompressed_fixture_fails_cleanly()
    {
        foreach (string fixture in new[] { "scipy-v5.mat", "vgg-mini-current.mat", "hand-bigendian.mat" })
        {
            byte[] bytes = File.ReadAllBytes(MatFixtures.Path_(fixture));
            int complete = MatFile.Read(new MemoryStream(bytes), fixture).OrderedVariables.Count;
            for (int length = 0; length < bytes.Length; length++)
            {
                string name = $"{fixture}[..{length}]";
                try
                {
                    // Cut exactly between variables, the file is a valid one with fewer of them.
                    Assert.True(MatFile.Read(new MemoryStream(bytes, 0, length), name).OrderedVariables.Count < complete);
                }
                catch (MatFileException e)
                {
                    Assert.StartsWith($"{name}: byte ", e.Message);
                }
            }
        }
    }

    private static void ReadCorrupted(int seedIndex, Mutation[] mutations, bool nonSeekable, Tally tally)
    {
        Seed seed = Seeds[seedIndex];
        byte[] data = seed.Bytes;
        foreach (Mutation m in mutations)
        {
            data = Apply(data, m);
        }

        string name = $"corrupt-{seed.Name}";
        Stream stream = new MemoryStream(data, writable: false);
        if (nonSeekable)
        {
            stream = new NonSeekableStream(stream);
        }

        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            MatFile.Read(stream, name);
            Interlocked.Increment(ref tally.Read);
        }
        catch (MatFileException e) when (e.Message.StartsWith($"{name}: byte ", StringComparison.Ordinal))
        {
            // The expected way to fail.
            Interlocked.Increment(ref tally.Rejected);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (clock.Elapsed > PerCaseLimit || allocated > AllocationLimit)
        {
            throw new InvalidOperationException($"{name}: took {clock.Elapsed.TotalMilliseconds:0} ms and allocated {allocated} bytes");
        }
    }

    private static byte[] Apply(byte[] data, Mutation m)
    {
        if (data.Length < 8)
        {
            return data;
        }

        switch (m.Kind)
        {
            case 0:
                // Truncation, biased to the tail where the variables are.
                return data[..(int)(m.Position % data.Length)];
            case 1:
                byte[] flipped = (byte[])data.Clone();
                flipped[m.Position % flipped.Length] ^= (byte)(1 << (int)(m.Value % 8));
                return flipped;
            case 2 or 3:
                return OverwriteWord(data, m, aligned: m.Kind == 2, bigEndian: data.Length >= 128 && data[126] == 'M');
            default:
                return CorruptInsideCompressed(data, m);
        }
    }

    /// <summary>Elements start 8-byte aligned after the 128-byte header, so aligned words hit tag types and counts.</summary>
    private static byte[] OverwriteWord(byte[] data, Mutation m, bool aligned, bool bigEndian, int start = 128)
    {
        if (data.Length < start + 8)
        {
            return data;
        }

        int at = aligned
            ? start + (8 * (int)(m.Position % (uint)((data.Length - start) / 8))) + ((m.Value & 0x80000000) != 0 ? 4 : 0)
            : (int)(m.Position % (uint)(data.Length - 3));
        at = Math.Min(at, data.Length - 4);
        uint value = (m.Value & 0x40000000) != 0 ? m.Value : Interesting[m.Value % Interesting.Length];
        byte[] result = (byte[])data.Clone();
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(at), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(at), value);
        }

        return result;
    }

    /// <summary>Corrupts the decompressed bytes of one compressed element and compresses them again.</summary>
    private static byte[] CorruptInsideCompressed(byte[] data, Mutation m)
    {
        bool bigEndian = data.Length >= 128 && data[126] == 'M';
        List<(int Offset, int Count)> compressed = CompressedElements(data, bigEndian);
        if (compressed.Count == 0)
        {
            return OverwriteWord(data, m, aligned: true, bigEndian);
        }

        (int offset, int count) = compressed[(int)(m.Value % (uint)compressed.Count)];
        byte[] inflated;
        try
        {
            using var z = new ZLibStream(new MemoryStream(data, offset + 8, count), CompressionMode.Decompress);
            using var output = new MemoryStream();
            z.CopyTo(output);
            inflated = output.ToArray();
        }
        catch (InvalidDataException)
        {
            return data;
        }

        inflated = (m.Value & 1) == 0
            ? OverwriteWord(inflated, m, aligned: true, bigEndian, start: 0)
            : Apply(inflated, m with { Kind = 1 });
        using var packed = new MemoryStream();
        using (var z = new ZLibStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(inflated);
        }

        byte[] tag = new byte[8];
        (bigEndian ? (Action<Span<byte>, uint>)BinaryPrimitives.WriteUInt32BigEndian : BinaryPrimitives.WriteUInt32LittleEndian)(tag, 15);
        (bigEndian ? (Action<Span<byte>, uint>)BinaryPrimitives.WriteUInt32BigEndian : BinaryPrimitives.WriteUInt32LittleEndian)(tag.AsSpan(4), (uint)packed.Length);
        return MatTestWriter.Concat(data[..offset], tag, packed.ToArray(), data[(offset + 8 + count)..]);
    }

    private static List<(int Offset, int Count)> CompressedElements(byte[] data, bool bigEndian)
    {
        var found = new List<(int, int)>();
        int at = 128;
        while (at + 8 <= data.Length)
        {
            uint type = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at));
            uint count = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at + 4)) : BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 4));
            if ((long)at + 8 + count > data.Length)
            {
                break;
            }

            if (type == 15)
            {
                found.Add((at, (int)count));
            }

            at += 8 + (int)count;
        }

        return found;
    }

    private sealed class Tally
    {
        public int Read;
        public int Rejected;
    }

    private sealed record Seed(string Name, byte[] Bytes)
    {
        public override string ToString() => Name;
    }

    /// <summary>Kind 0 truncates, 1 flips a bit, 2 overwrites an aligned (tag) word, 3 any word, 4-5 inside a compressed element.</summary>
    private sealed record Mutation(int Kind, uint Position, uint Value);
}
