namespace NeuralStyle.Tests.Fuzz;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by its seed on every platform and .NET version, so a fuzz case
/// named by its seed is the same input everywhere (System.Random's seeded sequence is not promised to stay the same).
/// </summary>
internal sealed class FuzzRandom(ulong seed)
{
    private ulong state = seed;

    public ulong NextUInt64()
    {
        ulong z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, <paramref name="maxExclusive"/>); the modulo bias is irrelevant for fuzzing.</summary>
    public int Next(int maxExclusive) => maxExclusive <= 1 ? 0 : (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    public bool Chance(int percent) => Next(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>The seed of case <paramref name="index"/> of a run started from <paramref name="runSeed"/>: well spread, and printable.</summary>
    public static ulong CaseSeed(ulong runSeed, int index) => new FuzzRandom(runSeed ^ ((ulong)index * 0xD1B54A32D192ED03)).NextUInt64();
}
