using NeuralStyle.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Packaging;

/// <summary>
/// A program of a user's that references the packed NeuralStyle package (no project reference), built and run outside
/// the repository: the README's library example works from the package alone. The package brings the bundled
/// ResNet-18 into the program's output and the libstdc++ fix into its build.
/// </summary>
[Collection(PackagesCollection.Name)]
public class LibraryConsumerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly PackedPackages _packages;
    private readonly ITestOutputHelper _output;

    public LibraryConsumerTests(PackedPackages packages, ITestOutputHelper output)
    {
        _packages = packages;
        _output = output;
    }

    [Fact]
    public void A_program_referencing_the_package_runs_the_example()
    {
        using var work = new TempDirectory();
        string project = work.File("consumer");
        Directory.CreateDirectory(project);
        string example = Path.Combine(TorchvisionReference.RepositoryRoot, "examples", "Api", "StyliseExample.cs");
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="NeuralStyle" Version="{_packages.Version}" />
                <Compile Include="{example}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            int steps = 0;
            NeuralStyle.Examples.StyliseExample.Stylise(args[0], args[1], args[2], (scale, scales, iteration, iterations) => steps++, width: 64, iterations: 4);
            Console.WriteLine($"steps: {steps}");
            """);
        // Offline and isolated: the only source is the packed folder; NeuralStyle's dependencies are read in place from
        // the user's packages folder (a fallback folder is never written), and whatever is restored goes to ours.
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{work.File("packages")}" />
              </config>
              <packageSources>
                <clear />
                <add key="packed" value="{_packages.Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
                <add key="user" value="{UserPackagesFolder()}" />
              </fallbackPackageFolders>
            </configuration>
            """);

        var environment = new Dictionary<string, string> { ["NUGET_HTTP_CACHE_PATH"] = work.File("http-cache") };
        (int code, string stdout, string stderr) = DotnetCommand.Run("dotnet", project, environment, Timeout, "build", "-c", "Release",
            "-p:CreateHardLinksForCopyLocalIfPossible=true", "-p:CreateHardLinksForCopyFilesToOutputDirectoryIfPossible=true");
        Assert.True(code == 0, stdout + stderr);
        string output = Path.Combine(project, "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "models", "ResNet18.onnx")), "the package did not bring the bundled ResNet-18 into the program's output");
        // A build fixes its copy only where the system's libstdc++ lacks the version (Debian 12's does).
        Assert.Contains(("GLIBCXX_3.4.32", !SystemLibstdcxxHas("GLIBCXX_3.4.32")), ElfVersionNeeds.Read(Path.Combine(output, "runtimes", "linux-x64", "native", "libLibTorchSharp.so")));

        string picture = work.File("chelsea-brick.png");
        (code, stdout, stderr) = DotnetCommand.Run("dotnet", work.Path, environment, Timeout,
            Path.Combine(output, "Consumer.dll"), Fixtures.Example("chelsea.png"), Fixtures.Example("brick.png"), picture);
        _output.WriteLine(stdout + stderr);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal("steps: 4", stdout.Trim());
        Assert.True(File.Exists(picture));
    }

    private static bool SystemLibstdcxxHas(string version)
    {
        byte[] library = File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libstdc++.so.6");
        return library.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(version + "\0")) >= 0;
    }

    // Where this user's restores put packages (NUGET_PACKAGES, else ~/.nuget/packages), as NuGet itself says.
    private static string UserPackagesFolder()
    {
        (int code, string stdout, string stderr) = DotnetCommand.Run("dotnet", Path.GetTempPath(), new Dictionary<string, string>(), Timeout, "nuget", "locals", "global-packages", "--list");
        Assert.True(code == 0, stderr);
        return stdout.Trim()["global-packages:".Length..].Trim();
    }
}
