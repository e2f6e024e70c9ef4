using System.Runtime.CompilerServices;
using NeuralStyle.Runtime;

namespace NeuralStyle.Tests.Support;

/// <summary>The test assembly is a host like the CLI: it initialises LibTorch (log level, threads, kernel guard) before any test computes.</summary>
internal static class RuntimeSetup
{
#pragma warning disable CA2255 // A test assembly is the host: this is where its process-wide set-up belongs.
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.Initialize();
#pragma warning restore CA2255
}
