using NeuralStyle.Tests.Support;

namespace NeuralStyle.Tests.Cli;

/// <summary>One torchvision reference run of squeezenet1_1 (random weights, batch-2 input and output), shared by a test class.</summary>
public sealed class ModelsSqueezeNetReference : IDisposable
{
    private readonly TempDirectory _directory = new();

    public ModelsSqueezeNetReference()
    {
        Run = TorchvisionReference.Run("squeezenet1_1", _directory.Path, batch: 2);
    }

    public ReferenceRun Run { get; }

    public string File(string name) => _directory.File(name);

    public void Dispose() => _directory.Dispose();
}
