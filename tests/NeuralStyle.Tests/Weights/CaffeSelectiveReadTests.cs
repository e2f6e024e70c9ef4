using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Caffe;
using Xunit;

namespace NeuralStyle.Tests.Weights;

/// <summary>Reading only some layers' blobs of a .caffemodel (V1 and V2): the others keep their names and types, without blobs.</summary>
public class CaffeSelectiveReadTests
{
    [Theory]
    [InlineData("tiny-vgg.caffemodel")]
    [InlineData("tiny-vgg-v2.caffemodel")]
    public void RefusedLayersAreListedWithoutTheirBlobs(string file)
    {
        string path = Fixtures.VggSource(file);
        using CaffeModel all = CaffeModelFile.Read(path);
        using CaffeModel some = CaffeModelFile.Read(path, name => name.StartsWith("conv", StringComparison.Ordinal));
        Assert.Equal(all.Layers.Select(l => (l.Name, l.Type)), some.Layers.Select(l => (l.Name, l.Type)));
        Assert.Contains(all.Layers, l => l.Name == "fc6" && l.Blobs.Count == 2);
        for (int i = 0; i < all.Layers.Count; i++)
        {
            CaffeLayer full = all.Layers[i], part = some.Layers[i];
            if (full.Name.StartsWith("conv", StringComparison.Ordinal))
            {
                Assert.Equal(full.Blobs.Count, part.Blobs.Count);
                for (int b = 0; b < full.Blobs.Count; b++)
                {
                    Assert.True(full.Blobs[b].Data.allclose(part.Blobs[b].Data, rtol: 0, atol: 0), $"{full.Name} blob {b}");
                }
            }
            else
            {
                Assert.Empty(part.Blobs);
            }
        }
    }
}
