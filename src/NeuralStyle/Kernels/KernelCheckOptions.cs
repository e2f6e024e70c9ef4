namespace NeuralStyle.Kernels;

/// <summary>How hard <see cref="KernelCheck"/> looks.</summary>
/// <param name="Tolerance">Largest accepted relative error (float32 arithmetic against float64: 1e-5).</param>
/// <param name="Repeats">Runs of each case; wrong kernels that read uninitialised memory fail only some of the time.</param>
/// <param name="PoisonMemory">Before each run, allocate and free NaN-filled blocks of the sizes the kernel will allocate, so that memory it reads without writing is likely to hold NaN.</param>
/// <param name="Fault">A result replacement for tests (see <see cref="KernelFault"/>); null in real use.</param>
public sealed record KernelCheckOptions(double Tolerance = 1e-5, int Repeats = 1, bool PoisonMemory = false, KernelFault? Fault = null);
