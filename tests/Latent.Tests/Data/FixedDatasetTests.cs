using Latent.Data;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data;

public class FixedDatasetTests
{
    [Fact]
    public void SampleOfTheWholeCountIsAPermutationOfThePoints()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(2);
        var circle = new NoisyCircle(rng);
        var batch = circle.Sample(circle.Count, rng);

        Assert.Equal(circle.Points.shape, batch.shape);
        Assert.False(batch.equal(circle.Points).all().item<bool>());
        // Sorting by the first coordinate puts both in the same order when they hold the same rows.
        var order = batch[.., 0].argsort();
        var reference = circle.Points[.., 0].argsort();
        Assert.True(batch.index_select(0, order).equal(circle.Points.index_select(0, reference)).all().item<bool>());
    }

    [Fact]
    public void SmallerSamplesHoldDistinctRows()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(4);
        var patterns = new BinaryPatterns3x3();
        var batch = patterns.Sample(7, rng);

        Assert.Equal([7L, 9L], batch.shape);
        // Every pair of the ten patterns differs, so distinct draws have no zero distance off the diagonal.
        var distances = cdist(batch, batch) + eye(7) * 100;
        Assert.True(distances.min().item<float>() > 0);
    }

    [Fact]
    public void SampleLargerThanTheDatasetIsRefusedNamingBoth()
    {
        LatentRuntime.EnsureLoaded();
        using var rng = new Generator(4);
        var patterns = new BinaryPatterns3x3();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => patterns.Sample(11, rng));
        Assert.Equal("n", error.ParamName);
        Assert.Contains("10 points", error.Message);
        Assert.Contains("11", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => patterns.Sample(0, rng));
    }

    [Fact]
    public void PointsSurviveTheDisposeScopeTheyWereMadeIn()
    {
        LatentRuntime.EnsureLoaded();
        using var rng = new Generator(4);
        NoisyCircle circle;
        using (NewDisposeScope())
            circle = new NoisyCircle(rng, count: 10);

        Assert.False(circle.Points.IsInvalid);
        Assert.Equal(10, circle.Points.shape[0]);
    }
}
