using NeuralStyle.Imaging;
using NeuralStyle.Transfer;

namespace NeuralStyle.Bench.Comparison;

/// <summary>Our style loop (<see cref="StyleTransfer"/>) timed iteration by iteration from its progress events.</summary>
internal static class OursLoop
{
    /// <summary>
    /// Runs <paramref name="iterations"/> + 1 iterations; for the first <paramref name="iterations"/> the seconds from
    /// its start to the next one's and the total loss of the image before its step. The last iteration is run only
    /// to end the one before: it also pays for the final evaluation. Null seconds with the reason when the engine
    /// refuses the precision (bf16 on a backbone or CPU that has no bf16 path).
    /// </summary>
    public static (List<double> Seconds, List<double> Losses, string? Refusal) Run(ComparedNetwork network, RgbImage content, RgbImage style, ComputePrecision precision, int iterations, bool everyLoss)
    {
        StyleTransfer transfer;
        try
        {
            // Without every loss, only the first is reported (print at i = 0 and the last): the loss check needs it.
            int print = everyLoss ? 1 : int.MaxValue;
            transfer = new StyleTransfer(network.Network, network.Settings with { Iterations = iterations + 1, Precision = precision, PrintIterations = print });
        }
        catch (ArgumentException e)
        {
            return ([], [], "refused: " + e.Message);
        }

        var starts = new List<TimeSpan>();
        var losses = new List<double>();
        foreach (TransferEvent e in transfer.Stylize(content, [style]))
        {
            switch (e)
            {
                case IterationStarted s:
                    starts.Add(s.Elapsed);
                    break;
                case LossesEvaluated l when l.Iteration <= iterations:
                    losses.Add(l.Losses.Total);
                    break;
                default:
                    break;
            }
        }

        return ([.. Enumerable.Range(0, iterations).Select(k => (starts[k + 1] - starts[k]).TotalSeconds)], losses, null);
    }
}
