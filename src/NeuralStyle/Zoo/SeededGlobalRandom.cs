using static TorchSharp.torch;

namespace NeuralStyle.Zoo;

/// <summary>
/// LibTorch's global generator, seeded for one block and restored afterwards, one block at a time in the process.
/// </summary>
/// <remarks>
/// Style runs draw every random number from generators of their own. Two things still need the global generator:
/// a zoo model's seeded initial weights (TorchSharp 0.107's kaiming and xavier initialisers, and the modules' own
/// initialisation, take no generator) and dropout in training mode. This scope keeps them from disturbing anyone:
/// the state is saved before seeding and put back after, and blocks do not overlap.
/// </remarks>
public sealed class SeededGlobalRandom : IDisposable
{
    private static readonly Lock Gate = new();
    private readonly Tensor _saved;
    private bool _disposed;

    private SeededGlobalRandom(long seed)
    {
        Gate.Enter();
        _saved = random.get_rng_state();
        manual_seed(seed);
    }

    /// <summary>Seeds the global generator with <paramref name="seed"/> until the returned scope is disposed.</summary>
    public static SeededGlobalRandom Enter(long seed) => new(seed);

    /// <summary>Restores the generator's state and lets the next block in.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        random.set_rng_state(_saved);
        _saved.Dispose();
        Gate.Exit();
    }
}
