namespace NeuralStyle.Weights.Caffe;

/// <summary>V1LayerParameter's <c>LayerType</c> enum, translated to the type strings of V2 <c>LayerParameter</c>.</summary>
/// <remarks>The strings are the ones Caffe's own V1-to-V2 upgrade writes, so both message versions compare equal.</remarks>
internal static class CaffeV1LayerTypes
{
    private static readonly Dictionary<long, string> Names = new()
    {
        [0] = string.Empty, // NONE
        [35] = "AbsVal",
        [1] = "Accuracy",
        [30] = "ArgMax",
        [2] = "BNLL",
        [3] = "Concat",
        [37] = "ContrastiveLoss",
        [4] = "Convolution",
        [5] = "Data",
        [39] = "Deconvolution",
        [6] = "Dropout",
        [32] = "DummyData",
        [7] = "EuclideanLoss",
        [25] = "Eltwise",
        [38] = "Exp",
        [8] = "Flatten",
        [9] = "HDF5Data",
        [10] = "HDF5Output",
        [28] = "HingeLoss",
        [11] = "Im2col",
        [12] = "ImageData",
        [13] = "InfogainLoss",
        [14] = "InnerProduct",
        [15] = "LRN",
        [29] = "MemoryData",
        [16] = "MultinomialLogisticLoss",
        [34] = "MVN",
        [17] = "Pooling",
        [26] = "Power",
        [18] = "ReLU",
        [19] = "Sigmoid",
        [27] = "SigmoidCrossEntropyLoss",
        [36] = "Silence",
        [20] = "Softmax",
        [21] = "SoftmaxWithLoss",
        [22] = "Split",
        [33] = "Slice",
        [23] = "TanH",
        [24] = "WindowData",
        [31] = "Threshold",
    };

    /// <summary>The V2 type string of a V1 enum value; an unknown value (a fork's own layer) is named by its number.</summary>
    public static string Name(long value) => Names.TryGetValue(value, out string? name) ? name : $"V1 type {value}";
}
