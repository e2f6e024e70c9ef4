using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.LeNet;

/// <summary>A convolution in which each output map sees only the input maps its connection table lists (LeNet-5's C3).</summary>
/// <remarks>
/// Output maps are stored in runs of consecutive maps with the same number of inputs: run r has parameters
/// <c>weight{r}</c> (maps x inputs per map x k x k, the inputs in table order) and <c>bias{r}</c>. LeNet-5's table
/// gives three runs: maps 0-5 (3 inputs), 6-14 (4 inputs), 15 (all 6). The forward pass gathers each run's input maps
/// and applies one grouped convolution per run, so only the listed connections exist and are counted.
/// </remarks>
public sealed class PartialConnectionConv : nn.Module<Tensor, Tensor>
{
    private readonly List<Run> _runs = [];

    /// <summary>The connection table: for each output map, the input maps it sees.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Table { get; }

    /// <summary>Builds the layer for <paramref name="table"/> with <paramref name="kernel"/>x<paramref name="kernel"/> kernels, initialised by LeNet-5's rule.</summary>
    public PartialConnectionConv(IReadOnlyList<IReadOnlyList<int>> table, int inputs, int kernel)
        : base(nameof(PartialConnectionConv))
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Count == 0 || table.Any(maps => maps.Count == 0 || maps.Any(m => m < 0 || m >= inputs) || maps.Distinct().Count() != maps.Count))
        {
            throw new ArgumentException($"every output map must list distinct input maps in 0..{inputs - 1}", nameof(table));
        }

        Table = table;
        int start = 0;
        while (start < table.Count)
        {
            int fanIn = table[start].Count;
            int end = start;
            while (end < table.Count && table[end].Count == fanIn)
            {
                end++;
            }

            int maps = end - start;
            var weight = nn.Parameter(empty(maps, fanIn, kernel, kernel));
            var bias = nn.Parameter(empty(maps));
            register_parameter($"weight{_runs.Count}", weight);
            register_parameter($"bias{_runs.Count}", bias);
            LeNetInit.Uniform(weight, fanIn * kernel * kernel);
            LeNetInit.Uniform(bias, fanIn * kernel * kernel);
            long[] gather = [.. table.Skip(start).Take(maps).SelectMany(m => m).Select(m => (long)m)];
            _runs.Add(new Run($"weight{_runs.Count}", $"bias{_runs.Count}", gather, maps));
            start = end;
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var outputs = new List<Tensor>(_runs.Count);
        try
        {
            foreach (Run run in _runs)
            {
                using Tensor index = tensor(run.Gather, device: input.device);
                using Tensor gathered = input.index_select(1, index);
                // Looked up by name: module.to(...) replaces the registered parameters.
                Parameter weight = get_parameter(run.Weight)!;
                Parameter bias = get_parameter(run.Bias)!;
                outputs.Add(nn.functional.conv2d(gathered, weight, bias, groups: run.Maps));
            }

            return cat(outputs, 1);
        }
        finally
        {
            foreach (Tensor output in outputs)
            {
                output.Dispose();
            }
        }
    }

    private sealed record Run(string Weight, string Bias, long[] Gather, long Maps);
}
