namespace NeuralStyle.Transfer;

/// <summary>
/// Which run a saved <see cref="TransferState"/> belongs to: what a run that continues it must share with the run
/// that saved it. Written in the state file's header and compared before a resume (see Jobs.ResumeCheck).
/// </summary>
/// <param name="NetworkSha256">SHA-256 (lower-case hex) of the network file, or of a zoo model's weights file.</param>
/// <param name="Network">That file as the saving run named it (for messages only; the digest is what is compared).</param>
/// <param name="Width">Width of the optimised image (the final scale's).</param>
/// <param name="Height">Height of the optimised image.</param>
/// <param name="Options">
/// The options that define the objective or the optimiser's state, by flag name, as invariant text; a resume is
/// refused when any differs. Options that only say how long to run or what to report are not in it.
/// </param>
public sealed record TransferStateOrigin(string NetworkSha256, string Network, int Width, int Height, IReadOnlyDictionary<string, string> Options);
