using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Blocks;

/// <summary>
/// The initialisers the zoo's families use, drawing from <see cref="ZooRandom.Current"/>, with PyTorch's formulas:
/// fan-in = size(1) x receptive field, fan-out = size(0) x receptive field.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's kaiming and xavier initialisers take no generator, and its nn.init.normal_ and uniform_ accept
/// one but ignore it (measured: two generators with the same seed gave different numbers); Tensor.normal_ and
/// uniform_ honour it, so everything here goes through those.
/// </remarks>
public static class ZooInit
{
    /// <summary>N(mean, std^2).</summary>
    public static void Normal(Tensor tensor, double mean, double std) => Fill(tensor, t => t.normal_(mean, std, ZooRandom.Current));

    /// <summary>U(low, high).</summary>
    public static void Uniform(Tensor tensor, double low, double high) => Fill(tensor, t => t.uniform_(low, high, ZooRandom.Current));

    /// <summary>A constant.</summary>
    public static void Constant(Tensor tensor, double value) => Fill(tensor, t => t.fill_(value));

    /// <summary>He normal for ReLU on the fan-out, as torchvision's ResNet and VGG: N(0, 2 / fan_out).</summary>
    public static void KaimingNormalFanOut(Tensor tensor) => Normal(tensor, 0, Math.Sqrt(2.0 / Fans(tensor).Out));

    /// <summary>kaiming_uniform_ with PyTorch's defaults (a = 0, fan-in, leaky ReLU gain sqrt 2): U(+-sqrt(6 / fan_in)).</summary>
    public static void KaimingUniform(Tensor tensor)
    {
        double bound = Math.Sqrt(6.0 / Fans(tensor).In);
        Uniform(tensor, -bound, bound);
    }

    /// <summary>Glorot uniform: U(+-gain sqrt(6 / (fan_in + fan_out))).</summary>
    public static void XavierUniform(Tensor tensor, double gain = 1)
    {
        (long fanIn, long fanOut) = Fans(tensor);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Uniform(tensor, -bound, bound);
    }

    /// <summary>
    /// Draws every convolution and linear parameter that the family's own initialisation left alone as PyTorch's
    /// modules do by default (weight and bias U(+-1 / sqrt(fan_in))), from the build's generator: a seeded model then
    /// owes nothing to LibTorch's global generator.
    /// </summary>
    internal static void DrawTheRest(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (nn.Module module in model.modules())
        {
            (Tensor? weight, Tensor? bias) = module switch
            {
                Convolution c => (c.weight, c.bias),
                Linear l => (l.weight, l.bias),
                _ => (null, null),
            };
            if (weight is null)
            {
                continue;
            }

            double bound = 1 / Math.Sqrt(Fans(weight).In);
            foreach (Tensor? parameter in new[] { weight, bias })
            {
                if (parameter is not null && !ZooRandom.WasInitialised(parameter))
                {
                    Uniform(parameter, -bound, bound);
                }
            }
        }
    }

    /// <summary>PyTorch's _calculate_fan_in_and_fan_out.</summary>
    public static (long In, long Out) Fans(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() < 2)
        {
            throw new ArgumentException($"fan in and fan out need at least 2 dimensions, got [{string.Join(", ", tensor.shape)}]");
        }

        long receptive = tensor.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        return (tensor.shape[1] * receptive, tensor.shape[0] * receptive);
    }

    private static void Fill(Tensor tensor, Action<Tensor> fill)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (no_grad())
        {
            fill(tensor);
        }

        ZooRandom.MarkInitialised(tensor);
    }
}
