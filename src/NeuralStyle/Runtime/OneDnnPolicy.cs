namespace NeuralStyle.Runtime;

/// <summary>What the start-up guard may choose; set by the host or by <c>NEURALSTYLE_ONEDNN=auto|off</c>.</summary>
public enum OneDnnPolicy
{
    /// <summary>Keep oneDNN if every probe agrees with float64 on this CPU, else disable it.</summary>
    Auto,

    /// <summary>Always disable oneDNN (the probes still check LibTorch's own kernels).</summary>
    Off,
}
