namespace Latent.Cli.Tests;

/// <summary>The test classes that share <see cref="ImageRuns"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ImageRunsCollection : ICollectionFixture<ImageRuns>
{
    public const string Name = "image runs";
}
