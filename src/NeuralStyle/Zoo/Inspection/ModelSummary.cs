using System.Globalization;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inspection;

/// <summary>A model's layers as they run, with output shapes, parameters and multiply-adds (like torchinfo or Keras' summary).</summary>
/// <remarks>
/// Rows are the leaf modules (and any module holding parameters itself) in the order they ran at the given input, in
/// evaluation mode; a module called twice shows twice. Multiply-adds are per image (<see cref="Inspection.MultiplyAdds"/>:
/// convolutions and Linear layers only, torchvision's convention). Totals count every parameter of the model, also
/// those of modules that did not run (auxiliary heads in evaluation mode).
/// </remarks>
public sealed class ModelSummary
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private ModelSummary(string model, long[] input, long[] output, IReadOnlyList<SummaryRow> rows, long parameters, long trainable, long parameterBytes)
    {
        Model = model;
        Input = input;
        Output = output;
        Rows = rows;
        Parameters = parameters;
        TrainableParameters = trainable;
        ParameterBytes = parameterBytes;
        MultiplyAdds = rows.Sum(r => r.MultiplyAdds);
        ParametersNotRun = parameters - rows.Where(r => !r.Repeated).Sum(r => r.Parameters);
    }

    /// <summary>The model's name.</summary>
    public string Model { get; }

    /// <summary>The input the summary ran on, batch x channels x height x width.</summary>
    public IReadOnlyList<long> Input { get; }

    /// <summary>The shape of the model's output.</summary>
    public IReadOnlyList<long> Output { get; }

    /// <summary>The leaf module calls in execution order.</summary>
    public IReadOnlyList<SummaryRow> Rows { get; }

    /// <summary>All parameters of the model.</summary>
    public long Parameters { get; }

    /// <summary>Parameters that require gradients.</summary>
    public long TrainableParameters { get; }

    /// <summary>Multiply-adds per image, the sum of the rows.</summary>
    public long MultiplyAdds { get; }

    /// <summary>Parameters of modules that did not run at this input and mode (auxiliary heads in evaluation mode).</summary>
    public long ParametersNotRun { get; }

    /// <summary>Bytes of the parameters.</summary>
    public long ParameterBytes { get; }

    /// <summary>Bytes of a float32 input of <see cref="Input"/>.</summary>
    public long InputBytes => Input.Aggregate(4L, (a, d) => a * d);

    /// <summary>Runs <paramref name="model"/> once on zeros of <paramref name="batch"/> x <paramref name="input"/> in evaluation mode and summarises it.</summary>
    public static ModelSummary Create(ZooModel model, InputShape input, int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        (IReadOnlyList<ModuleCall> calls, long[] output) = ForwardTrace.Run(model, input, batch);
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        var rows = new List<SummaryRow>();
        foreach (ModuleCall call in calls)
        {
            long own = ModuleTree.OwnParameters(call.Module);
            if (!ModuleTree.IsLeaf(call.Module) && own == 0 && call.Module is not IMultiplyAddCounting)
            {
                continue;
            }

            rows.Add(new SummaryRow(call.Path, ModuleTree.TypeName(call.Module), call.OutputShapes.FirstOrDefault() ?? [], own, call.MultiplyAdds, !seen.Add(call.Module)));
        }

        var parameters = model.parameters().ToList();
        return new ModelSummary(
            model.GetName(),
            [batch, input.Channels, input.Height, input.Width],
            output,
            rows,
            parameters.Sum(p => p.numel()),
            parameters.Where(p => p.requires_grad).Sum(p => p.numel()),
            parameters.Sum(p => p.numel() * p.element_size()));
    }

    /// <summary>A text table: one line per row, then the totals.</summary>
    public string ToTable()
    {
        string[] headers = ["Layer (type)", "Output shape", "Param #", "Mult-adds"];
        var cells = Rows.Select(r => new[]
        {
            $"{r.Name} ({r.Type})",
            string.Join('x', r.OutputShape),
            r.Repeated ? "(shared)" : Number(r.Parameters),
            Number(r.MultiplyAdds),
        }).ToList();
        int[] widths = [.. Enumerable.Range(0, 4).Select(i => cells.Select(c => c[i].Length).Append(headers[i].Length).Max())];
        string Line(string[] c) => $"{c[0].PadRight(widths[0])}  {c[1].PadRight(widths[1])}  {c[2].PadLeft(widths[2])}  {c[3].PadLeft(widths[3])}".TrimEnd();
        string rule = new('-', widths.Sum() + 6);

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Model}, input {string.Join('x', Input)}, output {string.Join('x', Output)}");
        text.AppendLine(rule).AppendLine(Line(headers)).AppendLine(rule);
        foreach (string[] c in cells)
        {
            text.AppendLine(Line(c));
        }

        text.AppendLine(rule);
        text.AppendLine(CultureInfo.InvariantCulture, $"Total params: {Number(Parameters)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Trainable params: {Number(TrainableParameters)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Non-trainable params: {Number(Parameters - TrainableParameters)}");
        if (ParametersNotRun != 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Params of modules that did not run: {Number(ParametersNotRun)}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Multiply-adds per image: {Number(MultiplyAdds)} ({MultiplyAdds / 1e9:F3} G; convolutions and Linear layers)");
        text.AppendLine(rule);
        text.AppendLine(CultureInfo.InvariantCulture, $"Input size (MB): {InputBytes / 1e6:F2}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Params size (MB): {ParameterBytes / 1e6:F2}");
        text.Append(rule);
        return text.ToString();
    }

    /// <summary>The summary as indented JSON (camelCase): model, input, output, layers, totals.</summary>
    public string ToJson() => JsonSerializer.Serialize(
        new
        {
            model = Model,
            input = Input,
            output = Output,
            layers = Rows,
            totals = new
            {
                parameters = Parameters,
                trainableParameters = TrainableParameters,
                parametersNotRun = ParametersNotRun,
                multiplyAdds = MultiplyAdds,
                inputBytes = InputBytes,
                parameterBytes = ParameterBytes,
            },
        },
        Json);

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
