using System.Globalization;
using System.Runtime.InteropServices;

namespace NeuralStyle.Runtime;

/// <summary>The processor as Linux describes it, and the instruction-set extensions that decide which kernels run.</summary>
/// <param name="Model">"Intel(R) Xeon(R) Processor", "AMD EPYC 9B45", ...</param>
/// <param name="Vendor">"GenuineIntel", "AuthenticAMD", ...</param>
/// <param name="Signature">"family 6 model 207 stepping 2".</param>
/// <param name="Cores">Logical processors this process may use.</param>
/// <param name="Extensions">The vector extensions present, among those oneDNN and LibTorch dispatch on.</param>
public sealed record CpuDescription(string Model, string Vendor, string Signature, int Cores, IReadOnlyList<string> Extensions)
{
    // The flags LibTorch's and oneDNN's dispatchers look at (AVX2 / AVX-512 / AMX kernels, bf16 and fp16 paths).
    private static readonly string[] Relevant =
    [
        "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512cd", "avx512dq", "avx512bw", "avx512vl", "avx512ifma",
        "avx512vbmi", "avx512_vbmi2", "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx512_vp2intersect", "avx_vnni",
        "avx_vnni_int8", "amx_tile", "amx_int8", "amx_bf16", "amx_fp16",
    ];

    /// <summary>Reads /proc/cpuinfo (its first processor); on other systems, what .NET knows.</summary>
    public static CpuDescription Read()
    {
        try
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.Length == 0 && fields.Count > 0)
                {
                    break;
                }

                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
                }
            }

            HashSet<string> flags = [.. fields.GetValueOrDefault("flags", "").Split(' ', StringSplitOptions.RemoveEmptyEntries)];
            return new CpuDescription(
                fields.GetValueOrDefault("model name", "unknown"),
                fields.GetValueOrDefault("vendor_id", "unknown"),
                string.Create(CultureInfo.InvariantCulture, $"family {fields.GetValueOrDefault("cpu family", "?")} model {fields.GetValueOrDefault("model", "?")} stepping {fields.GetValueOrDefault("stepping", "?")}"),
                Environment.ProcessorCount,
                [.. Relevant.Where(flags.Contains)]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CpuDescription(RuntimeInformation.ProcessArchitecture.ToString(), "unknown", "unknown", Environment.ProcessorCount, []);
        }
    }
}
