using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary>
/// Weights and inputs that a test and a Python fixture script both compute exactly, so that a reference run's output
/// can be committed without its weights. The rules are those of tests/fixture-scripts/bninception_reference.py.
/// </summary>
public static class HashedTensors
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    /// <summary>The hashed value for tensor <paramref name="name"/> of <paramref name="shape"/> (float32).</summary>
    public static Tensor Create(string name, long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        ulong stream = Fnv1a64(name);
        string leaf = name[(name.LastIndexOf('.') + 1)..];
        Func<double, double> value =
            name == "input" ? u => 100.0 * (2 * u - 1)
            : shape.Length >= 2 ? WeightRule(shape)
            : leaf is "running_var" or "weight" ? u => 0.5 + u
            : leaf is "running_mean" or "bias" ? u => 0.1 * (2 * u - 1)
            : throw new ArgumentException($"no hashed rule for {name}", nameof(name));
        var data = new float[n];
        for (long i = 0; i < n; i++)
        {
            ulong z = stream + (ulong)(i + 1) * Golden;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            z ^= z >> 31;
            data[i] = (float)value((z >> 40) / (double)(1 << 24));
        }

        return tensor(data).reshape(shape);
    }

    /// <summary>Fills every floating-point entry of <paramref name="module"/>'s state dict with its hashed value.</summary>
    public static void Fill(nn.Module module)
    {
        using var _ = no_grad();
        foreach ((string key, Tensor value) in InceptionZooSupport.PyTorchStateDict(module))
        {
            if (value.is_floating_point())
            {
                using Tensor hashed = Create(key, value.shape);
                value.copy_(hashed);
            }
        }
    }

    private static Func<double, double> WeightRule(long[] shape)
    {
        double bound = Math.Sqrt(6.0 / shape.Skip(1).Aggregate(1L, (a, b) => a * b));
        return u => (2 * u - 1) * bound;
    }

    private static ulong Fnv1a64(string text)
    {
        ulong h = 0xCBF29CE484222325;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            h = (h ^ b) * 0x100000001B3;
        }

        return h;
    }
}
