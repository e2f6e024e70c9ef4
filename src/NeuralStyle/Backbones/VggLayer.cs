using TorchSharp;

namespace NeuralStyle.Backbones;

/// <summary>One layer of a VGG feature extractor; convolutions carry frozen weights (O x I x kH x kW) and bias (O).</summary>
public sealed record VggLayer(string Name, VggLayerKind Kind, torch.Tensor? Weight = null, torch.Tensor? Bias = null);
