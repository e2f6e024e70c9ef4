using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inspection;

/// <summary>Runs a model once with a hook on every submodule and records each call as it completes.</summary>
internal static class ForwardTrace
{
    /// <summary>
    /// The calls of a forward pass in evaluation mode on zeros of <paramref name="batch"/> x <paramref name="input"/>,
    /// in completion order (a container after its children), and the shape of the model's output; the model's mode is
    /// restored afterwards.
    /// </summary>
    public static (IReadOnlyList<ModuleCall> Calls, long[] Output) Run(ZooModel model, InputShape input, int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        var calls = new List<ModuleCall>();
        var hooks = new List<IDisposable>();
        bool training = model.training;
        long[] output;
        try
        {
            foreach ((string path, nn.Module module) in ModuleTree.Modules(model))
            {
                hooks.Add(ModuleHooks.Attach(module, (m, x, y) =>
                    calls.Add(new ModuleCall(path, m, [.. TensorValues.Of(y).Select(t => t.shape)], MultiplyAdds.PerImage(m, x, y)))));
            }

            model.eval();
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            output = model.call(zeros(batch, input.Channels, input.Height, input.Width)).shape;
        }
        finally
        {
            foreach (IDisposable hook in hooks)
            {
                hook.Dispose();
            }

            model.train(training);
        }

        return (calls, output);
    }
}
