using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using NeuralStyle.Jobs;
using NeuralStyle.Tests.Support;

namespace NeuralStyle.Tests.Packaging;

/// <summary>
/// `dotnet pack` of the tool (src/NeuralStyle.Cli) and of the library (src/NeuralStyle) into a temporary folder, once
/// for the packaging tests; everything it made is deleted afterwards.
/// </summary>
/// <remarks>
/// The build output goes to the temporary folder too (BaseOutputPath), with the package files hard-linked rather than
/// copied: a pack builds the portable program, the linux-x64 one and its published folder, each with LibTorch's
/// hundreds of MB. Hard links never let the NuGet cache be written: the libstdc++ fix writes a new file and renames it.
/// </remarks>
public sealed class PackedPackages : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(8);

    public PackedPackages()
    {
        Version = VersionOf(typeof(StyleJob).Assembly);
        Root = new TempDirectory();
        Feed = Root.File("feed");
        string output = Root.File("bin") + "/";
        string[] common = ["-c", "Release", "-o", Feed, "-p:BaseOutputPath=" + output,
            "-p:CreateHardLinksForCopyLocalIfPossible=true", "-p:CreateHardLinksForPublishFilesIfPossible=true",
            "-p:CreateHardLinksForCopyFilesToOutputDirectoryIfPossible=true", "-p:CreateHardLinksForAdditionalFilesIfPossible=true"];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Pack(["pack", "src/NeuralStyle.Cli", .. common]);
        // The tool's pack built the library into the same output folder.
        Pack(["pack", "src/NeuralStyle", "--no-build", .. common]);
        PackTime = clock.Elapsed;
        // The build output is no longer needed (hundreds of MB of links and patched copies).
        Directory.Delete(output, recursive: true);
    }

    /// <summary>The version every package must have: the one the built library carries (build/Packaging.props).</summary>
    public string Version { get; }

    /// <summary>The folder holding the .nupkg files: the feed the tool is installed from.</summary>
    public string Feed { get; }

    /// <summary>How long the two packs took.</summary>
    public TimeSpan PackTime { get; }

    /// <summary>The temporary folder of the packages and of whatever the tests install.</summary>
    public TempDirectory Root { get; }

    /// <summary>The .nupkg of <paramref name="id"/> at <see cref="Version"/>.</summary>
    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    /// <summary>The nuspec inside a package.</summary>
    public static XElement Nuspec(ZipArchive package)
    {
        ZipArchiveEntry entry = package.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = entry.Open();
        return XDocument.Load(stream).Root!;
    }

    /// <summary>The informational version without its source revision ("1.0.0+abc" is "1.0.0").</summary>
    public static string VersionOf(Assembly assembly)
    {
        string informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }

    public void Dispose() => Root.Dispose();

    private static void Pack(string[] args)
    {
        (int code, string stdout, string stderr) = DotnetCommand.Run("dotnet", TorchvisionReference.RepositoryRoot, new Dictionary<string, string>(), PackTimeout, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed ({code}):\n{stdout}\n{stderr}");
        }
    }
}
