namespace Latent.Tests.Evaluation.Classifiers;

/// <summary>
/// The test classes that share <see cref="InstalledClassifiers"/>: mark a class <c>[Collection(InstalledClassifiersCollection.Name)]</c>
/// and take an <see cref="InstalledClassifiers"/> in its constructor.
/// </summary>
[CollectionDefinition(Name)]
public sealed class InstalledClassifiersCollection : ICollectionFixture<InstalledClassifiers>
{
    public const string Name = "installed classifiers";
}
