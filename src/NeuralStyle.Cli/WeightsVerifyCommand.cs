using System.CommandLine;
using NeuralStyle.Weights.Cache;

namespace NeuralStyle.Cli;

/// <summary>
/// <c>neural-style weights verify FILE|NAME</c>: hashes the file again (never trusting the record of earlier checks)
/// and compares it with the catalog; a file the catalog does not know gets its SHA-256 printed.
/// </summary>
internal sealed class WeightsVerifyCommand
{
    private readonly Argument<string> _target = new("FILE|NAME") { Description = "a weight file, or a known name (its copies in the caches are checked)" };

    public WeightsVerifyCommand()
    {
        Command = new Command("verify", "Hash a weight file again and compare it with its published hash.");
        Command.Arguments.Add(_target);
    }

    public Command Command { get; }

    public int Run(ParseResult parsed, TextWriter output, WeightsEnvironment? environment)
    {
        string target = parsed.GetValue(_target)!;
        WeightsCache cache = WeightsCache.Open(environment);
        if (File.Exists(target))
        {
            return Report(cache.Verify(target), output);
        }

        if (Directory.Exists(target))
        {
            throw new IOException($"{target} is a directory; give a weight file or a known name");
        }

        WeightsEntry entry = cache.Catalog.Find(target)
            ?? throw new IOException($"{target}: no such file, and not a known name (see `neural-style weights list`)");
        IReadOnlyList<WeightsCopy> copies = cache.Copies(entry);
        if (copies.Count == 0)
        {
            throw new IOException($"{entry.Name}: {entry.FileName} is not in the weights cache ({cache.Locations.CacheDirectory}) nor in torch.hub's cache; fetch it with: neural-style weights fetch {entry.Name}");
        }

        int code = 0;
        foreach (WeightsCopy copy in copies)
        {
            code = Math.Max(code, Report(cache.Verify(copy.Path, entry), output));
        }

        return code;
    }

    private static int Report(WeightsCheck check, TextWriter output)
    {
        FileDigest d = check.Digest;
        if (check.Entry is null)
        {
            output.WriteLine($"{check.Path}: SHA-256 {d.Sha256} (MD5 {d.Md5}, {WeightsText.ExactBytes(d.Size)}); not in the catalog, so there is nothing to compare it with");
            return 0;
        }

        if (check.Mismatch is not null)
        {
            throw new WeightsCheckFailure($"{check.Path} is not {check.Entry.Name}'s file: {check.Mismatch}");
        }

        string hash = check.Entry.Verification.Sha256 is not null || check.Entry.Verification.Md5 is null ? $"SHA-256 {d.Sha256}" : $"MD5 {d.Md5}, {WeightsText.ExactBytes(d.Size)} (SHA-256 {d.Sha256})";
        output.WriteLine($"OK {check.Entry.Name} {check.Path}: {hash}");
        return 0;
    }
}
