using NeuralStyle.Transfer;

namespace NeuralStyle.Cli;

/// <summary>The memory check of the inspection commands (<c>layers</c>, <c>models summary</c>): refuse before the network runs at full size.</summary>
internal static class CommandMemory
{
    /// <summary>Refuses <paramref name="what"/> when <paramref name="estimate"/> exceeds the memory available now.</summary>
    /// <exception cref="InsufficientMemoryException">It would not fit.</exception>
    public static void EnsureFits(long estimate, string what, string remedy)
    {
        if (MemoryEstimator.AvailableBytes() is long free && estimate > free)
        {
            throw new InsufficientMemoryException($"{what} needs about {estimate >> 20} MiB but only {free >> 20} MiB are available; {remedy}");
        }
    }
}
