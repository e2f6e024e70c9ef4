using System.IO.Compression;
using System.Xml.Linq;
using NeuralStyle.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Packaging;

/// <summary>
/// The .NET tool package: installed from the locally packed feed into a temporary tool path (nothing global changes,
/// no network: a NuGet configuration of our own lists no source but that folder), it prints its version and runs the
/// README's main job with the ResNet-18 it carries.
/// </summary>
[Collection(PackagesCollection.Name)]
public class ToolPackageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly PackedPackages _packages;
    private readonly ITestOutputHelper _output;

    public ToolPackageTests(PackedPackages packages, ITestOutputHelper output)
    {
        _packages = packages;
        _output = output;
    }

    [Fact]
    public void The_installed_tool_prints_its_version_and_runs_the_main_job()
    {
        _output.WriteLine($"dotnet pack (tool and library): {_packages.PackTime.TotalSeconds:F0} s");
        using var work = new TempDirectory();
        string tools = work.File("tools"), config = work.File("nuget.config");
        File.WriteAllText(config, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
              </packageSources>
            </configuration>
            """);
        // NuGet's caches are the temporary folder's too: a package of the same version installed earlier (from an
        // older pack) must not be taken from the user's global packages folder.
        var isolated = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = work.File("packages"),
            ["NUGET_HTTP_CACHE_PATH"] = work.File("http-cache"),
            ["DOTNET_CLI_HOME"] = work.File("home"),
        };
        (int code, string stdout, string stderr) = DotnetCommand.Run("dotnet", work.Path, isolated, Timeout,
            "tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", _packages.Feed, "neural-style", "--version", _packages.Version);
        Assert.True(code == 0, stdout + stderr);

        string tool = Path.Combine(tools, "neural-style");
        (code, stdout, stderr) = DotnetCommand.Run(tool, work.Path, isolated, Timeout, "--version");
        Assert.True(code == 0, stderr);
        Assert.StartsWith(_packages.Version + "+", stdout.Trim(), StringComparison.Ordinal);

        // The README's main job, smaller and with fewer iterations, from the repository root (the example paths are
        // relative).
        string output = work.File("chelsea-brick.png");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (code, stdout, stderr) = DotnetCommand.Run(tool, TorchvisionReference.RepositoryRoot, isolated, Timeout,
            "--content", "examples/chelsea.png", "--styles", "examples/brick.png", "--initial", "examples/chelsea.png", "--width", "128",
            "--iterations", "20", "--coarse-iterations", "10", "--print-iterations", "10", "--seed", "1", "--output", output, "--overwrite");
        _output.WriteLine($"main job: {clock.Elapsed.TotalSeconds:F1} s\n{stderr}");
        Assert.True(code == 0, stdout + stderr);
        using (var image = SkiaSharp.SKBitmap.Decode(output))
        {
            Assert.Equal(128, image.Width);
        }

        // The network came from the tool's own folder (the package carries it), not from a build output.
        string toolFolder = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(tools, new FileInfo(tool).LinkTarget!)))!;
        string network = stderr.Split('\n').Single(line => line.StartsWith("Network:", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(toolFolder, "models", "ResNet18.onnx"), network, StringComparison.Ordinal);

        // TorchSharp's native library in the installed tool carries the libstdc++ fix, whatever this machine's libstdc++.
        Assert.Contains(("GLIBCXX_3.4.32", true), ElfVersionNeeds.Read(Path.Combine(toolFolder, "libLibTorchSharp.so")));
    }

    [Fact]
    public void The_tool_package_carries_the_program_libtorch_the_network_and_the_metadata()
    {
        using ZipArchive pointer = ZipFile.OpenRead(_packages.Package("neural-style"));
        XElement nuspec = PackedPackages.Nuspec(pointer);
        Assert.Equal("DotnetTool", Metadata(nuspec, "packageTypes").Elements().Single().Attribute("name")!.Value);
        Assert.Equal("MIT", Metadata(nuspec, "license").Value);
        Assert.Equal("README.md", Metadata(nuspec, "readme").Value);
        Assert.NotNull(pointer.GetEntry("README.md"));

        string package = _packages.Package("neural-style.linux-x64");
        _output.WriteLine($"neural-style.linux-x64: {new FileInfo(package).Length / 1e6:F1} MB");
        using ZipArchive tool = ZipFile.OpenRead(package);
        Assert.Equal("DotnetToolRidPackage", Metadata(PackedPackages.Nuspec(tool), "packageTypes").Elements().Single().Attribute("name")!.Value);
        foreach (string file in new[] { "neural-style.dll", "NeuralStyle.dll", "NeuralStyle.xml", "models/ResNet18.onnx", "libLibTorchSharp.so", "libtorch_cpu.so", "libc10.so", "libSkiaSharp.so" })
        {
            Assert.True(tool.GetEntry("tools/net10.0/linux-x64/" + file) is not null, $"the tool package lacks {file}");
        }

        // Only linux-x64's native libraries: no other platform's LibTorch (hundreds of MB each).
        Assert.DoesNotContain(tool.Entries, e => e.FullName.Contains("/runtimes/", StringComparison.Ordinal) || e.Name is "torch_cpu.dll" or "libtorch_cpu.dylib");
    }

    private static XElement Metadata(XElement nuspec, string name) =>
        nuspec.Elements().Single(e => e.Name.LocalName == "metadata").Elements().Single(e => e.Name.LocalName == name);
}
