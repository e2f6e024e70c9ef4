using System.CommandLine;
using System.Globalization;
using NeuralStyle.Weights.Cache;

namespace NeuralStyle.Cli;

/// <summary>
/// <c>neural-style weights fetch NAME [--mirror URL] [--timeout SECONDS] [--force]</c>, or
/// <c>weights fetch --url URL --sha256 HEX --name NAME</c> for a file of the user's own (recorded in catalog.json).
/// </summary>
/// <remarks>Progress goes to standard error; the last line, on standard output, is "NAME: PATH".</remarks>
internal sealed class WeightsFetchCommand
{
    private readonly Argument<string?> _name = new("NAME") { Description = "a known weight file (see `neural-style weights list`)", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string[]> _mirror = new("--mirror") { Description = "a URL to try before the known ones (may be repeated)", HelpName = "URL", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<double?> _timeout = new("--timeout") { Description = "seconds without data (or to connect) before a connection is given up (default 30)", HelpName = "SECONDS" };
    private readonly Option<bool> _force = new("--force") { Description = "download even when a verified copy is present" };
    private readonly Option<string?> _url = new("--url") { Description = "with --sha256 and --name: fetch a file of your own into the cache", HelpName = "URL" };
    private readonly Option<string?> _sha256 = new("--sha256") { Description = "the SHA-256 the --url file must have", HelpName = "HEX" };
    private readonly Option<string?> _as = new("--name") { Description = "the name the --url file gets in the catalog", HelpName = "NAME" };

    public WeightsFetchCommand()
    {
        Command = new Command("fetch", "Download a known weight file into the verified cache (resumable; checked against its hash before it gets its name).");
        Command.Arguments.Add(_name);
        foreach (Option option in new Option[] { _mirror, _timeout, _force, _url, _sha256, _as })
        {
            Command.Options.Add(option);
        }
    }

    public Command Command { get; }

    public int Run(ParseResult parsed, TextWriter output, TextWriter error, bool interactive, WeightsEnvironment? environment)
    {
        string? name = parsed.GetValue(_name), url = parsed.GetValue(_url), sha256 = parsed.GetValue(_sha256), userName = parsed.GetValue(_as);
        string[] mirrors = parsed.GetValue(_mirror) ?? [];
        foreach (string mirror in mirrors.Where(m => !UserCatalog.IsHttpUrl(m)))
        {
            throw new UsageException($"--mirror {mirror}: not an http or https URL");
        }

        var options = new DownloadOptions { ExtraMirrors = mirrors, Force = parsed.GetValue(_force) };
        if (parsed.GetValue(_timeout) is double seconds)
        {
            if (!(seconds > 0 && seconds <= 3600))
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--timeout must be between 0 and 3600 seconds (got {seconds})"));
            }

            options = options with { StallTimeout = TimeSpan.FromSeconds(seconds), ConnectTimeout = TimeSpan.FromSeconds(seconds) };
        }

        WeightsCache cache = WeightsCache.Open(environment);
        if (url is not null || sha256 is not null || userName is not null)
        {
            return FetchUrl(cache, name, url, sha256, userName, options, output, error, interactive);
        }

        if (name is null)
        {
            throw new UsageException("weights fetch needs NAME (one of: " + string.Join(", ", cache.Catalog.Entries.Select(e => e.Name)) + "), or --url URL --sha256 HEX --name NAME");
        }

        WeightsEntry entry = cache.Catalog.Find(name)
            ?? throw new UsageException($"weights fetch {name}: not a known weight file; the known ones: {string.Join(", ", cache.Catalog.Entries.Select(e => e.Name))} (or give --url URL --sha256 HEX --name NAME)");
        FetchResult result = WeightsFetching.Run(cache, (report, token) => cache.FetchAsync(entry, options, report, token), error, interactive);
        Finish(result, output, error);
        return 0;
    }

    private int FetchUrl(WeightsCache cache, string? name, string? url, string? sha256, string? userName, DownloadOptions options, TextWriter output, TextWriter error, bool interactive)
    {
        if (name is not null || url is null || sha256 is null || userName is null)
        {
            throw new UsageException("weights fetch --url needs --sha256 HEX and --name NAME, and no NAME argument");
        }

        try
        {
            WeightsCache.UserEntry(userName, url, sha256);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        FetchResult result = WeightsFetching.Run(cache, (report, token) => cache.FetchUrlAsync(userName, url, sha256, options, report, token), error, interactive);
        Finish(result, output, error);
        error.WriteLine($"recorded as {userName} in {cache.Locations.CatalogFile}");
        return 0;
    }

    private static void Finish(FetchResult result, TextWriter output, TextWriter error)
    {
        CachedWeights weights = result.Weights;
        if (!result.Downloaded)
        {
            error.WriteLine($"{weights.Entry.Name} is already in {weights.PlaceText}, verified ({weights.Entry.Verification.Describe()}); nothing to do (--force downloads it again)");
        }

        output.WriteLine($"{weights.Entry.Name}: {weights.Path}");
    }
}
