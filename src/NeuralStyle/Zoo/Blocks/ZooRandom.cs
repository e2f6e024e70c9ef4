using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Blocks;

/// <summary>
/// The generator a zoo model draws from while it is built (initial weights) or run in training mode (dropout): set
/// for a block on the current thread, else LibTorch's default generator. Thread-local, so builds and runs on other
/// threads are not affected, and LibTorch's global generator is never seeded.
/// </summary>
public static class ZooRandom
{
    [ThreadStatic]
    private static Generator? _current;

    [ThreadStatic]
    private static HashSet<IntPtr>? _initialised;

    /// <summary>The generator set on this thread, or null (LibTorch's default).</summary>
    public static Generator? Current => _current;

    /// <summary>Draws from <paramref name="generator"/> on this thread until the returned scope is disposed.</summary>
    public static IDisposable Use(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return new Scope(generator, null);
    }

    /// <summary>As <see cref="Use"/>, and records which tensors <see cref="ZooInit"/> fills (so that the rest can be drawn afterwards).</summary>
    internal static IDisposable Building(Generator generator) => new Scope(generator, []);

    /// <summary>Whether <see cref="ZooInit"/> filled <paramref name="tensor"/> in the current build.</summary>
    internal static bool WasInitialised(Tensor tensor) => _initialised?.Contains(tensor.Handle) == true;

    internal static void MarkInitialised(Tensor tensor) => _initialised?.Add(tensor.Handle);

    private sealed class Scope : IDisposable
    {
        private readonly Generator? _previous = _current;
        private readonly HashSet<IntPtr>? _previousSet = _initialised;
        private bool _disposed;

        public Scope(Generator generator, HashSet<IntPtr>? initialised)
        {
            _current = generator;
            _initialised = initialised ?? _initialised;
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                _current = _previous;
                _initialised = _previousSet;
            }
        }
    }
}
