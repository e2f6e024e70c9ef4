using System.IO.Compression;
using System.Xml.Linq;
using Xunit;

namespace NeuralStyle.Tests.Packaging;

/// <summary>The library package NeuralStyle: README, XML documentation, licence, repository and the bundled network.</summary>
[Collection(PackagesCollection.Name)]
public class LibraryPackageTests
{
    private readonly PackedPackages _packages;

    public LibraryPackageTests(PackedPackages packages) => _packages = packages;

    [Fact]
    public void The_library_package_carries_readme_documentation_licence_and_metadata()
    {
        using ZipArchive package = ZipFile.OpenRead(_packages.Package("NeuralStyle"));
        XElement metadata = PackedPackages.Nuspec(package).Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal("NeuralStyle", Value("id"));
        Assert.Equal(_packages.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.False(string.IsNullOrWhiteSpace(Value("authors")));

        // The README is the repository's own, byte for byte.
        Assert.Equal("README.md", Value("readme"));
        using (var readme = new StreamReader(package.GetEntry("README.md")!.Open()))
        {
            Assert.Equal(File.ReadAllText(Path.Combine(Support.TorchvisionReference.RepositoryRoot, "README.md")), readme.ReadToEnd());
        }

        // Repository metadata: git and the commit the package was made from (the URL only where the clone has one).
        XElement repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");

        // The API and its documentation.
        Assert.NotNull(package.GetEntry("lib/net10.0/NeuralStyle.dll"));
        using (var xml = package.GetEntry("lib/net10.0/NeuralStyle.xml")!.Open())
        {
            XElement doc = XDocument.Load(xml).Root!;
            Assert.Contains(doc.Descendants("member"), m => m.Attribute("name")?.Value == "M:NeuralStyle.Jobs.StyleJob.Run(NeuralStyle.Jobs.StyleJobSpec,NeuralStyle.Jobs.JobContext,System.Action{NeuralStyle.Jobs.JobEvent},System.Threading.CancellationToken,NeuralStyle.Transfer.RunControl)");
        }

        // Dependencies are declared, not carried; the bundled ResNet-18 is copied to the consumer's output.
        Assert.Contains(metadata.Descendants().Where(e => e.Name.LocalName == "dependency"), d => d.Attribute("id")?.Value == "TorchSharp-cpu");
        Assert.NotNull(package.GetEntry("contentFiles/any/any/models/ResNet18.onnx"));
        Assert.Contains(metadata.Descendants().Where(e => e.Name.LocalName == "files"), f => f.Attribute("include")?.Value == "any/any/models/ResNet18.onnx" && f.Attribute("copyToOutput")?.Value == "true");
    }
}
