namespace NeuralStyle.Bench.Comparison;

/// <summary>Everything one <c>compare</c> run measured, as written to (and re-read from) its JSON file.</summary>
/// <param name="Command">The command line that made it.</param>
/// <param name="Date">When it ran (UTC, ISO 8601).</param>
/// <param name="Machine">The CPU, threads and our versions.</param>
/// <param name="Pytorch">The reference's versions, BLAS and bf16 autocast probe.</param>
/// <param name="Settings">Rounds, iterations and sizes.</param>
/// <param name="Networks">One entry per network.</param>
internal sealed record ComparisonResult(string Command, string Date, MachineDescription Machine, PytorchDescription Pytorch, CompareSettings Settings, List<NetworkResult> Networks);

/// <summary>The machine as the section states it.</summary>
/// <param name="CpuModel">/proc/cpuinfo's model name.</param>
/// <param name="CpuSignature">Family, model and stepping.</param>
/// <param name="IsaFlags">The relevant flags present (avx512f, avx512_vnni, avx512_bf16, avx512_fp16, amx_*).</param>
/// <param name="LogicalProcessors">Logical processors this process may use.</param>
/// <param name="Threads">Intra-op threads of both implementations.</param>
/// <param name="TorchSharp">TorchSharp's version.</param>
/// <param name="LibTorch">LibTorch's version.</param>
/// <param name="OneDnn">oneDNN's version inside LibTorch.</param>
/// <param name="Bf16">Our bf16 start-up decision, as one line.</param>
/// <param name="LoadBefore">/proc/loadavg when the run started.</param>
/// <param name="LoadAfter">/proc/loadavg when it ended.</param>
internal sealed record MachineDescription(string CpuModel, string CpuSignature, List<string> IsaFlags, int LogicalProcessors, int Threads, string TorchSharp, string LibTorch, string? OneDnn, string Bf16, string LoadBefore, string LoadAfter);

/// <summary>What the PyTorch worker said about itself.</summary>
/// <param name="Torch">torch.__version__.</param>
/// <param name="Python">Python's version.</param>
/// <param name="BlasBuild">BLAS_INFO / LAPACK_INFO from torch.__config__.show().</param>
/// <param name="BlasAlternative">Where /etc/alternatives/libblas.so.3-x86_64-linux-gnu points.</param>
/// <param name="BlasLoaded">The BLAS libraries mapped into the worker after a matrix product.</param>
/// <param name="OpenBlas">Whether OpenBLAS is among them.</param>
/// <param name="ReferenceBlas">Whether the unoptimised reference BLAS is (and OpenBLAS is not).</param>
/// <param name="Bf16Autocast">What torch.autocast('cpu', bfloat16) did with a convolution, forward and backward.</param>
internal sealed record PytorchDescription(string Torch, string Python, string BlasBuild, string? BlasAlternative, List<string> BlasLoaded, bool OpenBlas, bool ReferenceBlas, string Bf16Autocast);

/// <summary>How the run was made.</summary>
internal sealed record CompareSettings(List<int> Sizes, int Rounds, int Timed, int Warmup, int Threads, int CurveIterations, int CurveWidth);

/// <summary>One network's timings, curves and loss checks.</summary>
/// <param name="Key">"vgg19" or "resnet18".</param>
/// <param name="Title">What the section calls it.</param>
/// <param name="Loop">What one iteration does (layers, losses, weights).</param>
/// <param name="Sizes">Timings per size.</param>
/// <param name="Curves">Loss against wall time per configuration.</param>
/// <param name="Checks">Our first-iteration loss against PyTorch's, same images.</param>
internal sealed record NetworkResult(string Key, string Title, string Loop, List<SizeResult> Sizes, List<LossCurve> Curves, List<LossCheck> Checks);

/// <summary>One size's samples per configuration.</summary>
internal sealed record SizeResult(int Size, List<ConfigurationSamples> Configurations);

/// <summary>Seconds per iteration of one configuration over all rounds, or why there are none.</summary>
/// <param name="Name">One of <see cref="Configurations.All"/>.</param>
/// <param name="Seconds">Every timed iteration of every round.</param>
/// <param name="Refusal">Why it did not run ("refused: ..." or "failed: ..."); null when it did.</param>
internal sealed record ConfigurationSamples(string Name, List<double> Seconds, string? Refusal);

/// <summary>The total loss of each iterate against the wall time since the first iteration started.</summary>
internal sealed record LossCurve(string Name, List<double> Seconds, List<double> Losses, string? Refusal);

/// <summary>Our fp32 loss of the starting image against PyTorch's (the two must be doing the same work).</summary>
/// <param name="Where">Which images ("256x256 random", "chelsea + brick 256x170").</param>
internal sealed record LossCheck(string Where, double Ours, double Pytorch)
{
    /// <summary>|ours - PyTorch| / |PyTorch|.</summary>
    public double Relative => Math.Abs(Ours - Pytorch) / Math.Abs(Pytorch);
}

/// <summary>The four configurations, in the order they alternate.</summary>
internal static class Configurations
{
    public const string OursFp32 = "ours fp32";
    public const string PytorchFp32 = "PyTorch fp32";
    public const string OursBf16 = "ours bf16";
    public const string PytorchBf16 = "PyTorch bf16";

    /// <summary>ours-fp32, PyTorch-fp32, ours-bf16, PyTorch-bf16: each of ours next to its reference.</summary>
    public static IReadOnlyList<string> All { get; } = [OursFp32, PytorchFp32, OursBf16, PytorchBf16];

    public static bool IsOurs(string name) => name.StartsWith("ours", StringComparison.Ordinal);

    public static bool IsBf16(string name) => name.EndsWith("bf16", StringComparison.Ordinal);
}
