namespace NeuralStyle.Tests.Fuzz;

/// <summary>
/// Draws format-blind mutations: bit flips, bytes and integers set to boundary values or to lengths near the input's
/// own, small arithmetic on integers, truncation, and removal, duplication and insertion of bytes. Half of all offsets
/// fall in the first 512 bytes, where headers and length fields live; half of the integer writes are aligned.
/// </summary>
internal static class ByteMutator
{
    private const int HeaderBytes = 512;

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x7F, 0x80, 0xFE, 0xFF, 0x10, 0x20, 0x40];

    private static readonly ulong[] Boundaries =
    [
        0, 1, 2, 3, 4, 7, 8, 15, 16, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000,
        0xFFFFFFFF, 0xFFFFFFF8, 0x100000000, 1UL << 40, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0xFFFFFFFFFFFFFFFF,
    ];

    /// <summary>Applies one to four mutations to <paramref name="seed"/>; returns the result and what was done.</summary>
    /// <param name="random">The case's generator.</param>
    /// <param name="seed">The input to mutate.</param>
    /// <param name="tokens">Values the format gives meaning to, written now and then like the boundary values.</param>
    public static (byte[] Bytes, List<Mutation> Mutations) Mutate(FuzzRandom random, byte[] seed, IReadOnlyList<ulong> tokens)
    {
        int count = random.Next(10) switch
        {
            < 4 => 1,
            < 7 => 2,
            < 9 => 3,
            _ => 4,
        };
        var mutations = new List<Mutation>(count);
        byte[] data = seed;
        for (int i = 0; i < count; i++)
        {
            Mutation m = Draw(random, data.Length, tokens);
            mutations.Add(m);
            data = m.Apply(data);
        }

        return (data, mutations);
    }

    /// <summary>One mutation that fits an input of <paramref name="length"/> bytes.</summary>
    public static Mutation Draw(FuzzRandom random, int length, IReadOnlyList<ulong> tokens)
    {
        if (length == 0)
        {
            return new InsertByte(0, random.Pick(InterestingBytes));
        }

        int kind = random.Next(100);
        switch (kind)
        {
            case < 25:
                return new FlipBit(Offset(random, length, 1), random.Next(8));
            case < 38:
                {
                    ulong[] byteTokens = [.. tokens.Where(t => t <= 0xFF)];
                    ulong value = byteTokens.Length > 0 && random.Chance(30) ? random.Pick(byteTokens)
                        : random.Chance(70) ? random.Pick(InterestingBytes) : (ulong)random.Next(256);
                    return new SetInteger(Offset(random, length, 1), 1, value, false);
                }

            case < 60:
                {
                    int width = Width(random, length);
                    ulong value = tokens.Count > 0 && random.Chance(30) ? random.Pick(tokens) : IntegerValue(random, length);
                    return new SetInteger(Offset(random, length, width), width, value, random.Chance(30));
                }

            case < 70:
                {
                    int width = Width(random, length);
                    int delta = (random.Next(16) + 1) * (random.Chance(50) ? 1 : -1);
                    return new AddToInteger(Offset(random, length, width), width, delta, random.Chance(30));
                }

            case < 78:
                // Truncation anywhere, but often near the end, where a file cut short by a failed copy ends.
                return new Truncate(random.Chance(50) ? random.Next(length) : Math.Max(0, length - 1 - random.Next(Math.Min(length, 64))));
            case < 86:
                {
                    int chunk = ChunkLength(random, length);
                    return new RemoveChunk(Offset(random, length - chunk + 1, 1), chunk);
                }

            case < 94:
                {
                    int chunk = ChunkLength(random, length);
                    return new DuplicateChunk(random.Next(length - chunk + 1), chunk, Offset(random, length + 1, 1));
                }

            default:
                return new InsertByte(Offset(random, length + 1, 1), random.Chance(70) ? random.Pick(InterestingBytes) : (byte)random.Next(256));
        }
    }

    private static int Width(FuzzRandom random, int length)
    {
        int width = random.Pick<int>([2, 4, 4, 8]);
        while (width > length)
        {
            width /= 2;
        }

        return width;
    }

    /// <summary>A boundary value, or a length close to the input's own (a field that claims just past the end).</summary>
    private static ulong IntegerValue(FuzzRandom random, int length) => random.Next(4) switch
    {
        0 => (ulong)(length + random.Next(33) - 16),
        1 => (ulong)random.Next(256),
        _ => random.Pick(Boundaries),
    };

    private static int ChunkLength(FuzzRandom random, int length) =>
        1 + (random.Chance(80) ? random.Next(Math.Min(length, 64)) : random.Next(Math.Max(1, length / 2)));

    /// <summary>An offset in [0, <paramref name="limit"/> - <paramref name="width"/>], half the time in the header region, half the time aligned.</summary>
    private static int Offset(FuzzRandom random, int limit, int width)
    {
        int room = limit - width + 1;
        int at = random.Chance(50) ? random.Next(Math.Min(room, HeaderBytes)) : random.Next(room);
        if (width > 1 && random.Chance(50))
        {
            at -= at % width;
        }

        return at;
    }
}
