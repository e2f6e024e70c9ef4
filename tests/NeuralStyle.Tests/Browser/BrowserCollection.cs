using Xunit;

namespace NeuralStyle.Tests.Browser;

/// <summary>
/// The xunit collection of every test that drives the browser: one <see cref="BrowserFixture"/> (one headless
/// chromium) for the whole test run, shared by all classes marked <c>[Collection(BrowserCollection.Name)]</c>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    /// <summary>The collection's name, for <c>[Collection(BrowserCollection.Name)]</c>.</summary>
    public const string Name = "Browser";
}
