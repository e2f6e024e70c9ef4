using System.Diagnostics;
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
        Run(files.Select(f => Path.Combine(Fixtures.Root, "npy", f)).ToArray(), 3000, path =>
        {
            try
            {
                NpyFile.Read(path);
                return true;
            }
            catch (NpyFormatException e)
            {
                Assert.StartsWith(path + ": ", e.Message);
                return false;
            }
        });
    }

    [Fact]
    public void Corrupted_checkpoints_read_or_throw_PyTorchFormatException()
    {
        string[] files = ["tiny_net.pth", "views.pth", "dtypes.pth", "nested_state_dict.pth"];
        Run(files.Select(PyTorchReadTests.Fixture).ToArray(), 1500, path =>
        {
            try
            {
                foreach (var t in PyTorchCheckpoint.Read(path).Values)
                {
                    t.Dispose();
                }

                return true;
            }
            catch (PyTorchFormatException e)
            {
                Assert.StartsWith(path + ": ", e.Message);
                return false;
            }
        });
    }

    /// <summary>Mutates mostly inside the pickle and the headers, where the interesting checks are, by biasing positions to the first 1 KB.</summary>
    private void Run(string[] seeds, int iterations, Func<string, bool> read)
    {
        byte[][] data = [.. seeds.Select(File.ReadAllBytes)];
        // The first read loads the native libraries; that must not count as a slow case.
        Assert.All(seeds, s => Assert.True(read(s)));
        using var temp = new TempDirectory();
        int accepted = 0, rejected = 0;
        var slowest = (Time: TimeSpan.Zero, Name: string.Empty);
        var clock = Stopwatch.StartNew();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        Gen.Select(Gen.Int[0, seeds.Length - 1], GenMutation.Array[1, 3], Gen.Bool).Sample((seed, mutations, nearStart) =>
        {
            byte[] bytes = Apply(data[seed], mutations, nearStart);
            string path = temp.File("case" + Path.GetExtension(seeds[seed]));
            File.WriteAllBytes(path, bytes);
            var one = Stopwatch.StartNew();
            if (read(path))
            {
                accepted++;
            }
            else
            {
                rejected++;
            }

            if (one.Elapsed > slowest.Time)
            {
                slowest = (one.Elapsed, $"{Path.GetFileName(seeds[seed])}~{string.Join(",", mutations)}");
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
