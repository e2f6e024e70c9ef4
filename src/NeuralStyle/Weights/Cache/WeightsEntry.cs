namespace NeuralStyle.Weights.Cache;

/// <summary>One pretrained weight file the cache knows: what it is, how to check it, where to get it.</summary>
/// <param name="Name">The name commands take (<c>weights fetch NAME</c>, <c>--network NAME</c>): letters, digits, '-' and '_'.</param>
/// <param name="FileName">The file's name in the cache (and in torch.hub's cache), as published.</param>
/// <param name="Format">The file format: <c>pth</c>, <c>caffemodel</c>, <c>mat</c>, <c>safetensors</c>, <c>onnx</c> or another word.</param>
/// <param name="Architecture">The network the weights belong to (<c>vgg19</c>).</param>
/// <param name="Size">The size in bytes, when published.</param>
/// <param name="Verification">How a copy is checked.</param>
/// <param name="Urls">Where to download it: the primary first, then mirrors.</param>
/// <param name="Licence">The weights' licence, in words.</param>
/// <param name="InputConvention">The pixels the network expects (channel order, range, mean, std), in words.</param>
/// <param name="BuiltIn">False for an entry of the user's catalog.json.</param>
public sealed record WeightsEntry(
    string Name,
    string FileName,
    string Format,
    string Architecture,
    long? Size,
    WeightsVerification Verification,
    IReadOnlyList<string> Urls,
    string Licence,
    string InputConvention,
    bool BuiltIn = true);
