using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Parameterizations;

/// <summary>The variable a run optimises and the differentiable map from it to the image the network sees.</summary>
internal interface IImageParameters : IDisposable
{
    /// <summary>The leaf tensor the optimiser updates in place (requires grad).</summary>
    Tensor Variable { get; }

    /// <summary>True when <see cref="Variable"/> is the image itself (the seed's pixels): then <see cref="Render"/> returns it unchanged.</summary>
    bool IsImage { get; }

    /// <summary>The image (network space, 1 x 3 x H x W), differentiable in <see cref="Variable"/>.</summary>
    Tensor Render();
}
