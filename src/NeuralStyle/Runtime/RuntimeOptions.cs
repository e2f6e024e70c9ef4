namespace NeuralStyle.Runtime;

/// <summary>What the host decides for the whole process, once, before the first computation.</summary>
/// <param name="Threads">LibTorch's intra-op threads; null: every core.</param>
/// <param name="OneDnn">The guard's policy; null: <c>NEURALSTYLE_ONEDNN</c> (auto or off), else <see cref="OneDnnPolicy.Auto"/>.</param>
public sealed record RuntimeOptions(int? Threads = null, OneDnnPolicy? OneDnn = null);
