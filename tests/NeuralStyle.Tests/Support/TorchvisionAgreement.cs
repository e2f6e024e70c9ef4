using System.Globalization;
using NeuralStyle.Weights.Npy;
using NeuralStyle.Weights.PyTorch;
using NeuralStyle.Zoo;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Support;

/// <summary>How closely a zoo model's output matches its reference on the same weights and input.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Shape">The output shape (ours; a different reference shape fails before a result exists).</param>
/// <param name="MaxAbsDiff">Largest absolute difference between our output and the reference's.</param>
/// <param name="MaxAbsReference">Largest absolute reference output value.</param>
public sealed record AgreementResult(string Model, long[] Shape, double MaxAbsDiff, double MaxAbsReference)
{
    /// <summary>MaxAbsDiff / MaxAbsReference.</summary>
    public double Relative => MaxAbsDiff / MaxAbsReference;

    /// <summary>Fails unless <see cref="Relative"/> is at most <paramref name="tolerance"/> (NaN fails too).</summary>
    public void AssertAgrees(double tolerance = 1e-4) =>
        Assert.True(Relative <= tolerance && MaxAbsReference > 0, $"{this} exceeds the relative tolerance {tolerance.ToString("g3", CultureInfo.InvariantCulture)}");

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Model}: output [{string.Join(", ", Shape)}], max |ours - reference| {MaxAbsDiff:g3}, max |reference| {MaxAbsReference:g4}, relative {Relative:g3}");
}

/// <summary>Checks a zoo model against torchvision: the same random weights (through a state dict) and input must give the same output.</summary>
public static class TorchvisionAgreement
{
    /// <summary>
    /// Runs torchvision's <paramref name="model"/> (tests/fixture-scripts/torchvision_reference.py) in a temporary directory,
    /// loads its state dict strictly into <c>ModelZoo.Create(model)</c> and compares the outputs in evaluation mode.
    /// </summary>
    /// <param name="model">A zoo model that torchvision also has.</param>
    /// <param name="batch">Input batch size: 2 by default, because LibTorch sends every convolution of a batch above 1 to
    /// oneDNN, whose kernels were measured wrong on one CPU at batch 2 while batch 1 was right.</param>
    /// <param name="size">Input size "HxW"; null: the canonical input.</param>
    /// <param name="output">Where to report the figures (optional).</param>
    public static AgreementResult Check(string model, int batch = 2, string? size = null, ITestOutputHelper? output = null)
    {
        using var directory = new TempDirectory();
        ReferenceRun run = TorchvisionReference.Run(model, directory.Path, batch, size);
        using ZooModel zoo = ModelZoo.Create(model);
        AgreementResult result = Compare(model, zoo, run);
        output?.WriteLine(result.ToString());
        return result;
    }

    /// <summary>Loads <paramref name="run"/>'s state dict into <paramref name="model"/> (strict) and compares its output on the run's input.</summary>
    public static AgreementResult Compare(string name, nn.Module<Tensor, Tensor> model, ReferenceRun run)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(run);
        PyTorchCheckpoint.LoadInto(model, run.StateDict, strict: true);
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Tensor input = NpyFile.ReadTensor(run.Input);
        Tensor reference = NpyFile.ReadTensor(run.Output);
        Tensor ours = model.call(input);
        Assert.True(ours.shape.SequenceEqual(reference.shape), $"{name}: our output is [{string.Join(", ", ours.shape)}], the reference's [{string.Join(", ", reference.shape)}]");
        double diff = (ours.to(ScalarType.Float64) - reference.to(ScalarType.Float64)).abs().max().item<double>();
        double largest = reference.abs().max().to(ScalarType.Float64).item<double>();
        return new AgreementResult(name, ours.shape, diff, largest);
    }
}
