namespace NeuralStyle.Weights.Caffe;

/// <summary>One layer of a Caffe net, from either message version (V1 <c>layers</c> or V2 <c>layer</c>).</summary>
/// <param name="Name">The layer's name, e.g. <c>conv1_1</c>.</param>
/// <param name="Type">The V2 type string (<c>Convolution</c>, <c>ReLU</c>, ...); V1 enum values are translated to it.</param>
/// <param name="Bottoms">Names of the input blobs.</param>
/// <param name="Tops">Names of the output blobs.</param>
/// <param name="Blobs">The learned parameters in file order (for convolution and inner product: weight, then bias).</param>
public sealed record CaffeLayer(string Name, string Type, IReadOnlyList<string> Bottoms, IReadOnlyList<string> Tops, IReadOnlyList<CaffeBlob> Blobs);
