using System.CommandLine;
using System.Text.Json;
using NeuralStyle.Weights.Cache;

namespace NeuralStyle.Cli;

/// <summary><c>neural-style weights list [--json]</c>: every known weight file, how it is checked, where to get it, where it is.</summary>
/// <remarks>Nothing is hashed: a copy is "verified" when a hash on record matches it as it is now, "not checked yet" otherwise.</remarks>
internal sealed class WeightsListCommand
{
    private readonly Option<bool> _json = new("--json") { Description = "machine-readable output" };

    public WeightsListCommand()
    {
        Command = new Command("list", "List the known weight files: format, size, hash, URLs and mirrors, licence, input convention, and where a copy is.");
        Command.Options.Add(_json);
    }

    public Command Command { get; }

    public int Run(ParseResult parsed, TextWriter output, WeightsEnvironment? environment)
    {
        WeightsCache cache = WeightsCache.Open(environment);
        if (parsed.GetValue(_json))
        {
            output.WriteLine(JsonSerializer.Serialize(
                new
                {
                    cache = cache.Locations.CacheDirectory,
                    torchHub = cache.Locations.TorchHubCheckpoints,
                    weights = cache.Catalog.Entries.Select(e => Row(e, cache.Copies(e), PartialBytes(cache, e))),
                },
                ModelsJson.Options));
            return 0;
        }

        foreach (WeightsEntry e in cache.Catalog.Entries)
        {
            string size = e.Size is long bytes ? WeightsText.ExactBytes(bytes) : "size not published";
            output.WriteLine($"{e.Name}  {e.FileName}  ({e.Format}, {e.Architecture}, {size}){(e.BuiltIn ? string.Empty : ", from catalog.json")}");
            output.WriteLine($"  check:    {e.Verification.Describe()}{(e.Verification.Md5 is not null && e.Verification.Sha256 is null ? " and the size" : string.Empty)}");
            for (int i = 0; i < e.Urls.Count; i++)
            {
                output.WriteLine($"  {(i == 0 ? "url:     " : "mirror:  ")} {e.Urls[i]}");
            }

            output.WriteLine($"  licence:  {e.Licence}");
            output.WriteLine($"  input:    {e.InputConvention}");
            IReadOnlyList<WeightsCopy> copies = cache.Copies(e);
            if (copies.Count == 0)
            {
                output.WriteLine($"  present:  no (neural-style weights fetch {e.Name})");
            }

            foreach (WeightsCopy copy in copies)
            {
                output.WriteLine($"  present:  {copy.Path} ({Place(copy.Place)}, {State(copy.Verified)})");
            }

            if (PartialBytes(cache, e) is long partial)
            {
                output.WriteLine($"  partial:  {cache.Locations.PartialPathOf(e)} ({WeightsText.ExactBytes(partial)}; `neural-style weights fetch {e.Name}` resumes it)");
            }

            output.WriteLine();
        }

        output.WriteLine($"weights cache: {cache.Locations.CacheDirectory}; torch.hub's cache (searched, never written): {cache.Locations.TorchHubCheckpoints}");
        return 0;
    }

    // An interrupted download's bytes so far, or null.
    private static long? PartialBytes(WeightsCache cache, WeightsEntry e)
    {
        var partial = new FileInfo(cache.Locations.PartialPathOf(e));
        return partial.Exists ? partial.Length : null;
    }

    private static string Place(WeightsPlace place) => place == WeightsPlace.Cache ? "weights cache" : "torch.hub";

    private static string State(bool? verified) => verified switch
    {
        true => "verified",
        false => "FAILS its check: see `neural-style weights verify`",
        null => "not checked yet",
    };

    private static object Row(WeightsEntry e, IReadOnlyList<WeightsCopy> copies, long? partialBytes) => new
    {
        name = e.Name,
        file = e.FileName,
        format = e.Format,
        architecture = e.Architecture,
        size = e.Size,
        sha256 = e.Verification.Sha256,
        md5 = e.Verification.Md5,
        sha256Prefix = e.Verification.Sha256Prefix,
        urls = e.Urls,
        licence = e.Licence,
        input = e.InputConvention,
        builtIn = e.BuiltIn,
        copies = copies.Select(c => new { path = c.Path, place = c.Place == WeightsPlace.Cache ? "cache" : "torchhub", verified = c.Verified }),
        partialBytes,
    };
}
