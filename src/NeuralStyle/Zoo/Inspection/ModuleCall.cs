using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inspection;

/// <summary>One completed forward call of a submodule, as a trace records it.</summary>
/// <param name="Path">The module's path ("layer1.0.conv1").</param>
/// <param name="Module">The module.</param>
/// <param name="OutputShapes">Shapes of the tensors it returned (one for most modules, two for a max-pool with indices).</param>
/// <param name="MultiplyAdds">Multiply-adds per image of this call (<see cref="Inspection.MultiplyAdds"/>).</param>
internal sealed record ModuleCall(string Path, nn.Module Module, IReadOnlyList<long[]> OutputShapes, long MultiplyAdds);
