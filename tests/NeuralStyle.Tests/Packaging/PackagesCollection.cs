using Xunit;

namespace NeuralStyle.Tests.Packaging;

/// <summary>The packaging test classes share one <see cref="PackedPackages"/>: packing takes about a minute.</summary>
[CollectionDefinition(Name)]
public class PackagesCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "Packages";
}
