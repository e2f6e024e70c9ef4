using NeuralStyle.Weights.Mat;
using Xunit;

namespace NeuralStyle.Tests.Mat;

/// <summary>The nesting a MatConvNet loader walks, in the current and the beta16 layouts (scipy-written miniatures).</summary>
public sealed class MatVggMiniTests
{
    [Fact]
    public void Current_layout()
    {
        MatFileContents mat = MatFile.Read(MatFixtures.Path_("vgg-mini-current.mat"));
        Assert.Equal(["layers", "meta"], mat.VariableNames);
        var layers = Assert.IsType<MatCellArray>(mat["layers"]);
        Assert.Equal([1, 7], layers.Dimensions);

        var conv = Assert.IsType<MatStructArray>(layers[0]);
        Assert.Equal(["name", "type", "weights", "size", "pad", "stride", "precious", "dilate", "opts"], conv.FieldNames);
        Assert.Equal("conv1_1", ((MatCharArray)conv["name"]).Text);
        var weights = Assert.IsType<MatCellArray>(conv["weights"]);
        var kernel = Assert.IsType<MatNumericArray>(weights[0]);
        var bias = Assert.IsType<MatNumericArray>(weights[1]);
        Assert.Equal([3, 3, 3, 4], kernel.Dimensions);
        Assert.Equal([4, 1], bias.Dimensions);
        float[] k = kernel.GetReal<float>();
        for (int i = 0; i < k.Length; i++)
        {
            // The script built the kernel column-major from arange / 100 - 1 in float32.
            Assert.Equal(((float)i / 100f) - 1f, k[i]);
        }

        Assert.Equal([1.0, 1, 1, 1], ((MatNumericArray)conv["pad"]).ToDoubleRowMajor());
        Assert.Equal(0.0, ((MatNumericArray)((MatStructArray)layers[1])["leak"]).ScalarValue);
        var pool = (MatStructArray)layers[2];
        Assert.Equal("max", ((MatCharArray)pool["method"]).Text);
        Assert.Equal([0.0, 1, 0, 1], ((MatNumericArray)pool["pad"]).ToDoubleRowMajor());
        Assert.Equal([2, 2, 2, 3], ((MatNumericArray)((MatCellArray)((MatStructArray)layers[5])["weights"])[0]).Dimensions);
        Assert.Equal("softmax", ((MatCharArray)((MatStructArray)layers[6])["type"]).Text);

        var normalization = (MatStructArray)((MatStructArray)mat["meta"])["normalization"];
        var average = (MatNumericArray)normalization["averageImage"];
        Assert.Equal([1, 1, 3], average.Dimensions);
        Assert.Equal([123.68f, 116.779f, 103.939f], average.ToSingleRowMajor());
        var classes = (MatStructArray)((MatStructArray)mat["meta"])["classes"];
        Assert.Equal("goldfish", ((MatCharArray)((MatCellArray)classes["description"])[1]).Text);
    }

    [Fact]
    public void Old_layout()
    {
        MatFileContents mat = MatFile.Read(MatFixtures.Path_("vgg-mini-old.mat"));
        Assert.Equal(["layers", "normalization", "classes"], mat.VariableNames);
        var conv = (MatStructArray)((MatCellArray)mat["layers"])[0];
        Assert.Equal(["name", "type", "weights", "size", "pad", "stride"], conv.FieldNames);
        var weights = (MatCellArray)conv["weights"];
        Assert.Equal([1, 2], weights.Dimensions);
        Assert.Equal([3, 3, 3, 2], weights[0].Dimensions);
        var bias = (MatNumericArray)weights[1];
        Assert.Equal([1, 2], bias.Dimensions);
        Assert.Equal([0.25f, 1.25f], bias.GetReal<float>());
        Assert.Equal(2, ((MatCellArray)mat["layers"])[1] is MatStructArray relu ? relu.FieldNames.Count : -1);

        var average = (MatNumericArray)((MatStructArray)mat["normalization"])["averageImage"];
        Assert.Equal([4, 4, 3], average.Dimensions);
        float[] rowMajor = average.ToSingleRowMajor();
        Assert.Equal([123.68f, 116.779f, 103.939f], rowMajor[..3]);
        Assert.Equal([123.68f, 116.779f, 103.939f], rowMajor[^3..]);
    }
}
