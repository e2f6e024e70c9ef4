using System.Diagnostics;
using System.IO.Compression;
using CsCheck;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Npy;
using NeuralStyle.Weights.PyTorch;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Weights;

/// <summary>
/// Fixtures corrupted at random (truncation, overwritten, "interesting" and inserted bytes): reading must succeed or
/// throw the reader's format exception, quickly. Anything else (an exception from the zip or tensor layers, a hang,
/// a huge allocation) fails.
/// </summary>
public sealed class WeightsCorruptionTests(ITestOutputHelper output)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x4B, 0x58, 0x8A, 0x28, 0x74, 0x2E];

    /// <summary>Kind 0 truncates at Position, 1 overwrites with Value, 2 writes an "interesting" byte, 3 inserts a byte.</summary>
    private readonly record struct Mutation(int Kind, uint Position, byte Value);

    private static readonly Gen<Mutation> GenMutation =
        Gen.Select(Gen.Int[0, 3], Gen.UInt, Gen.Byte, (kind, position, value) => new Mutation(kind, position, value));

    [Fact]
    public void Corrupted_npy_files_read_or_throw_NpyFormatException()
    {
        string[] files = ["f4_2x3.npy", "f8_3x5.npy", "u1_5.npy", "v3_f4_3x2.npy", "f4_scalar.npy"];
        Run(files.Select(f => Path.Combine(Fixtures.Root, "npy", f)).ToArray(), 10000, (bytes, name) =>
        {
            try
            {
                NpyFile.Read(new MemoryStream(bytes), name);
                return true;
            }
            catch (NpyFormatException e)
            {
                Assert.StartsWith(name + ": ", e.Message);
                return false;
            }
        });
    }

    [Fact]
    public void Corrupted_checkpoints_read_or_throw_PyTorchFormatException()
    {
        string[] files = ["tiny_net.pth", "views.pth", "dtypes.pth", "nested_state_dict.pth"];
        Run(files.Select(PyTorchReadTests.Fixture).ToArray(), 5000, (bytes, name) =>
        {
            try
            {
                foreach (var t in PyTorchCheckpoint.Read(new MemoryStream(bytes), name).Values)
                {
                    t.Dispose();
                }

                return true;
            }
            catch (PyTorchFormatException e)
            {
                Assert.StartsWith(name + ": ", e.Message);
                return false;
            }
        });
    }

    /// <summary>
    /// The zip layer checks CRCs, so byte mutations of a whole file rarely reach the pickle. Here only data.pkl is
    /// mutated and the archive is rebuilt around it, so every case exercises the unpickler and the state-dict checks.
    /// </summary>
    [Fact]
    public void Corrupted_pickles_read_or_throw_PyTorchFormatException()
    {
        string[] files = ["tiny_net.pth", "views.pth", "dtypes.pth", "nested_state_dict.pth"];
        var archives = files.ToDictionary(f => f, f => File.ReadAllBytes(PyTorchReadTests.Fixture(f)));
        string[] pickles = [.. files.Select(f => PickleOf(archives[f]))];
        using var temp = new TempDirectory();
        for (int i = 0; i < files.Length; i++)
        {
            File.WriteAllBytes(temp.File(files[i] + ".pkl"), Entry(archives[files[i]], "data.pkl"));
        }

        Run([.. files.Select(f => temp.File(f + ".pkl"))], 5000, (pickle, name) =>
        {
            string file = files.Single(f => name.StartsWith(f, StringComparison.Ordinal));
            byte[] bytes = Rezip(archives[file], pickle);
            try
            {
                foreach (var t in PyTorchCheckpoint.Read(new MemoryStream(bytes), name).Values)
                {
                    t.Dispose();
                }

                return true;
            }
            catch (PyTorchFormatException e)
            {
                Assert.StartsWith(name + ": ", e.Message);
                return false;
            }
        });
        Assert.All(pickles, p => Assert.EndsWith("/data.pkl", p));
    }

    private static string PickleOf(byte[] archive)
    {
        using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        return zip.Entries.Single(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).FullName;
    }

    private static byte[] Entry(byte[] archive, string suffix)
    {
        using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        using Stream s = zip.Entries.Single(e => e.FullName.EndsWith("/" + suffix, StringComparison.Ordinal)).Open();
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The archive with its data.pkl replaced (stored, as torch stores it).</summary>
    private static byte[] Rezip(byte[] archive, byte[] pickle)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (ZipArchiveEntry entry in source.Entries)
            {
                using Stream to = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                if (entry.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))
                {
                    to.Write(pickle);
                }
                else
                {
                    using Stream from = entry.Open();
                    from.CopyTo(to);
                }
            }
        }

        return output.ToArray();
    }

    /// <summary>Mutates mostly inside the pickle and the headers, where the interesting checks are, by biasing positions to the first 1 KB.</summary>
    private void Run(string[] seeds, int iterations, Func<byte[], string, bool> read)
    {
        byte[][] data = [.. seeds.Select(File.ReadAllBytes)];
        // The first read loads the native libraries; that must not count as a slow case.
        Assert.All(seeds, (s, i) => Assert.True(read(data[i], Path.GetFileName(s))));
        int accepted = 0, rejected = 0;
        var slowest = (Time: TimeSpan.Zero, Name: string.Empty);
        var clock = Stopwatch.StartNew();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        Gen.Select(Gen.Int[0, seeds.Length - 1], GenMutation.Array[1, 3], Gen.Bool).Sample((seed, mutations, nearStart) =>
        {
            byte[] bytes = Apply(data[seed], mutations, nearStart);
            string name = $"{Path.GetFileName(seeds[seed])}~{string.Join(",", mutations)}";
            var one = Stopwatch.StartNew();
            if (read(bytes, name))
            {
                accepted++;
            }
            else
            {
                rejected++;
            }

            if (one.Elapsed > slowest.Time)
            {
                slowest = (one.Elapsed, name);
            }
        }, iter: iterations, threads: 1);

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"{accepted} read, {rejected} rejected in {clock.Elapsed.TotalSeconds:0.0} s, {allocated >> 20} MB allocated; slowest {slowest.Time.TotalMilliseconds:0} ms: {slowest.Name}");
        Assert.Equal(iterations, accepted + rejected);
        Assert.True(rejected > iterations / 4, "too few corruptions reached the reader's checks");
        Assert.True(slowest.Time < TimeSpan.FromSeconds(2), $"a single case took {slowest.Time}: {slowest.Name}");
        Assert.True(allocated < (long)iterations << 20, $"{allocated} bytes allocated: some case allocates far more than its file");
    }

    private static byte[] Apply(byte[] seed, Mutation[] mutations, bool nearStart)
    {
        var data = new List<byte>(seed);
        foreach (Mutation m in mutations)
        {
            if (data.Count == 0)
            {
                break;
            }

            int range = nearStart ? Math.Min(data.Count, 1024) : data.Count;
            int at = (int)(m.Position % (uint)range);
            switch (m.Kind)
            {
                case 0:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 1:
                    data[at] = m.Value;
                    break;
                case 2:
                    data[at] = Interesting[m.Value % Interesting.Length];
                    break;
                default:
                    data.Insert(at, m.Value);
                    break;
            }
        }

        return [.. data];
    }
}
