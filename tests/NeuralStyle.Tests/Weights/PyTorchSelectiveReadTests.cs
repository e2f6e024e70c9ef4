using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.PyTorch;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>Reading only some tensors of a torch.save file (zip and legacy): the others are listed, not read.</summary>
public class PyTorchSelectiveReadTests
{
    [Theory]
    [InlineData("tiny-vgg-tv.pth")]
    [InlineData("tiny-vgg-tv-legacy.pth")]
    public void SelectedTensorsEqualAFullReadAndEveryKeyIsListed(string file)
    {
        string path = Fixtures.VggSource(file);
        IReadOnlyDictionary<string, Tensor> all = PyTorchCheckpoint.Read(path);
        IReadOnlyDictionary<string, Tensor> some = PyTorchCheckpoint.Read(path, k => k.StartsWith("features.", StringComparison.Ordinal), out IReadOnlyList<string> keys);
        try
        {
            Assert.Equal(all.Keys, keys);
            Assert.Equal(all.Keys.Where(k => k.StartsWith("features.", StringComparison.Ordinal)), some.Keys);
            Assert.Contains("classifier.0.weight", keys);
            foreach ((string key, Tensor t) in some)
            {
                Assert.True(t.allclose(all[key], rtol: 0, atol: 0), key);
            }
        }
        finally
        {
            foreach (Tensor t in all.Values.Concat(some.Values))
            {
                t.Dispose();
            }
        }
    }
}
