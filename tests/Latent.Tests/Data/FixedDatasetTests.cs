using Latent.Data;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data;

public class FixedDatasetTests
{
    [Fact]
    public void SampleOfTheWholeCountIsThePointsInOrderWithoutDrawing()
    {
        LatentRuntime.EnsureLoaded();
        using var outer = NewDisposeScope();
        using var rng = new Generator(2);
        var circle = new NoisyCircle(rng);
        long stateBefore = rng.get_state().sum().item<long>(); // a checksum of the generator's whole state
        using var pointsBefore = circle.Points.clone();

        using (NewDisposeScope())
        {
            var batch = circle.Sample(circle.Count, rng);
            Assert.True(batch.equal(circle.Points).all().item<bool>());
        }

        // The batch was disposed with its scope; the dataset's points are still there, and nothing was drawn.
        Assert.False(circle.Points.IsInvalid);
        Assert.True(circle.Points.equal(pointsBefore).all().item<bool>());
        Assert.Equal(stateBefore, rng.get_state().sum().item<long>());
    }

    [Fact]
    public void SampleOfAllButOneIsAShuffledSubsetThatDraws()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(2);
        var circle = new NoisyCircle(rng);
        long stateBefore = rng.get_state().sum().item<long>();

        var batch = circle.Sample(circle.Count - 1, rng);

        Assert.Equal(circle.Count - 1, batch.shape[0]);
        Assert.False(batch.equal(circle.Points.narrow(0, 0, circle.Count - 1)).all().item<bool>());
        Assert.NotEqual(stateBefore, rng.get_state().sum().item<long>());
        // Every drawn row is one of the dataset's rows.
        Assert.True(batch.unsqueeze(1).eq(circle.Points.unsqueeze(0)).all(2).any(1).all().item<bool>());
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
