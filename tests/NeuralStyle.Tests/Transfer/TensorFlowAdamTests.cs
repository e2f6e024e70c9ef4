using NeuralStyle.Transfer;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

public class TensorFlowAdamTests
{
    [Fact]
    public void FirstStepFollowsTensorFlowsEpsilonPlacement()
    {
        // lr_t = sqrt(1 - 0.999) / (1 - 0.9) = 0.316228; m = 0.1; sqrt(v) = 0.0316228.
        // TensorFlow: 0.316228 * 0.1 / (0.0316228 + 0.1) = 0.240253 (torch.optim.Adam would step 1 / 1.1 = 0.909).
        using Tensor x = zeros(1);
        using var adam = new TensorFlowAdam(x, learningRate: 1, beta1: 0.9, beta2: 0.999, epsilon: 0.1);
        using Tensor g = ones(1);
        adam.Apply(g);
        Assert.Equal(-0.240253, x.item<float>(), 5);
        Assert.Equal(1, adam.Step);
    }

    [Fact]
    public void TwoStepsMatchHandComputedValues()
    {
        using Tensor x = tensor(new float[] { 1, -2 });
        using var adam = new TensorFlowAdam(x, learningRate: 0.5, beta1: 0.9, beta2: 0.999, epsilon: 1e-8);
        double[] expected = [1, -2];
        double[] m = [0, 0], v = [0, 0];
        float[][] grads = [[0.5f, -1f], [2f, 0.25f]];
        for (int t = 1; t <= 2; t++)
        {
            using Tensor g = tensor(grads[t - 1]);
            adam.Apply(g);
            double lrT = 0.5 * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t));
            for (int k = 0; k < 2; k++)
            {
                m[k] = (0.9 * m[k]) + (0.1 * grads[t - 1][k]);
                v[k] = (0.999 * v[k]) + (0.001 * grads[t - 1][k] * grads[t - 1][k]);
                expected[k] -= lrT * m[k] / (Math.Sqrt(v[k]) + 1e-8);
            }
        }

        float[] actual = x.data<float>().ToArray();
        Assert.Equal(expected[0], actual[0], 5);
        Assert.Equal(expected[1], actual[1], 5);
    }
}
