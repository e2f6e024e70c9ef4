namespace NeuralStyle.Zoo;

/// <summary>How to build a zoo model; every member has the reference implementation's default.</summary>
/// <param name="Classes">Output classes; null: the model's own (1000 for ImageNet models, 10 for LeNet-5 and FractalNet, 19 for ENet).</param>
/// <param name="AuxiliaryHeads">GoogLeNet and Inception v3: build the auxiliary classifiers (torchvision's aux_logits). They change the state-dict keys and count, and only run in training mode.</param>
/// <param name="TransformInput">GoogLeNet and Inception v3: torchvision's transform_input (re-normalise from ImageNet mean/std to the 0.5/0.5 the original weights expect), which its pretrained weights enable.</param>
/// <param name="Seed">Seed for the random initial weights; null: TorchSharp's current generator.</param>
public sealed record ZooOptions(int? Classes = null, bool AuxiliaryHeads = true, bool TransformInput = false, long? Seed = null)
{
    /// <summary>The defaults.</summary>
    public static ZooOptions Default { get; } = new();
}
