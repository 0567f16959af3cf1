using Latent.Data;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data;

public class DataBatchesTests
{
    [Fact]
    public void NextDrawsABatchOfTheAskedSizeOnTheDevice()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(21);
        var batches = new DataBatches(new RingOfGaussians(), 256, rng, CPU);

        var first = batches.Next().Examples;
        var second = batches.Next().Examples;
        Assert.Equal([256L, 2L], first.shape);
        Assert.Equal(DeviceType.CPU, first.device_type);
        Assert.False(first.equal(second).all().item<bool>());
    }

    [Fact]
    public void BatchesFollowTheGeneratorExactly()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rngA = new Generator(5);
        using var rngB = new Generator(5);
        var source = new Gaussian1D();

        var fromBatches = new DataBatches(source, 32, rngA, CPU).Next().Examples;
        var direct = source.Sample(32, rngB);
        Assert.True(fromBatches.equal(direct).all().item<bool>());
    }

    [Fact]
    public void FullBatchOfAFixedDatasetHoldsEveryPoint()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(6);
        var patterns = new BinaryPatterns3x3();
        var batch = new DataBatches(patterns, 10, rng, CPU).Next().Examples;

        Assert.True(batch.sum(0).equal(patterns.Points.sum(0)).all().item<bool>());
        Assert.Equal(10, batch.unique(dim: 0).Item1.shape[0]);
    }

    [Fact]
    public void BatchSizeOutOfRangeIsRefusedByName()
    {
        LatentRuntime.EnsureLoaded();
        using var rng = new Generator(6);
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new DataBatches(new Gaussian1D(), 0, rng, CPU));
        Assert.Equal("batchSize", zero.ParamName);
        Assert.Contains("must be ≥ 1", zero.Message);
        var tooLarge = Assert.Throws<ArgumentOutOfRangeException>(() => new DataBatches(new BinaryPatterns3x3(), 11, rng, CPU));
        Assert.Contains("10 points", tooLarge.Message);
    }
}
