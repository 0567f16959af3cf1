namespace Latent.Studio.Tests;

/// <summary>The tests that share one studio, and so run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class StudioCollection : ICollectionFixture<StudioFixture>
{
    public const string Name = "studio";
}
