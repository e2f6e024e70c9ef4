using System.Security.Cryptography;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Cache;

namespace NeuralStyle.Tests.Weights.Cache;

/// <summary>A weights cache and a torch.hub directory in a scratch directory, and generated files to serve.</summary>
internal sealed class CacheFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public CacheFixture()
    {
        Environment = WeightsEnvironment.From(new Dictionary<string, string>
        {
            ["NEURAL_STYLE_HOME"] = Path.Combine(_dir.Path, "home"),
            ["TORCH_HOME"] = Path.Combine(_dir.Path, "torch"),
        });
        Locations = WeightsLocations.From(Environment);
    }

    public WeightsEnvironment Environment { get; }

    public WeightsLocations Locations { get; }

    public string Root => _dir.Path;

    /// <summary>A cache over the current catalog.json.</summary>
    public WeightsCache Cache() => new(Locations, WeightsCatalog.Load(Locations));

    /// <summary>Random bytes (a few hundred KB by default), the same for the same seed.</summary>
    public static byte[] Data(int length = 300_000, int seed = 1)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>An entry for <paramref name="data"/> checked by its full SHA-256, served from <paramref name="urls"/>.</summary>
    public static WeightsEntry Entry(byte[] data, params string[] urls) =>
        new("test-net", "test-net-1234.pth", "pth", "vgg19", data.Length, new WeightsVerification(Sha256: Sha256(data)), urls, "test", "test", BuiltIn: false);

    public static DownloadOptions Fast => new() { StallTimeout = TimeSpan.FromSeconds(1), ConnectTimeout = TimeSpan.FromSeconds(2), RetryDelay = TimeSpan.FromMilliseconds(20), ProgressInterval = TimeSpan.Zero };

    public void Dispose() => _dir.Dispose();
}
