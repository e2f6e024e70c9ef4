namespace NeuralStyle.Transfer;

/// <summary>
/// Candidate engine changes of issue 14 (item 2), off by default, switched on per run by the options benchmark
/// (bench/NeuralStyle.Bench EngineOptions.cs) to measure each against the current code in the same process.
/// </summary>
/// <param name="OneScalarRead">Read the four loss terms with one copy to .NET instead of four <c>item()</c> calls.</param>
/// <param name="FusedGramLoss">The Gram term's difference in one <c>addmm</c> (scaling and subtracting the target inside the product).</param>
/// <param name="OneProductGramBackward">The Gram term's backward pass in one matrix product (<see cref="Losses.GatysLosses.GramOneProductBackward"/>).</param>
internal sealed record EngineVariants(bool OneScalarRead = false, bool FusedGramLoss = false, bool OneProductGramBackward = false)
{
    /// <summary>The current code.</summary>
    public static EngineVariants None { get; } = new();
}
