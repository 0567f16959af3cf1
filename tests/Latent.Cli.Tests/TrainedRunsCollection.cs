namespace Latent.Cli.Tests;

/// <summary>The test classes that share <see cref="TrainedRuns"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TrainedRunsCollection : ICollectionFixture<TrainedRuns>
{
    public const string Name = "trained runs";
}
