using Latent.Data;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data;

public class RingOfGaussiansTests
{
    [Fact]
    public void RingHasEightCentersOnRadiusTwo()
    {
        LatentRuntime.EnsureLoaded();
        var ring = new RingOfGaussians();

        Assert.Equal(8, ring.ModeCount);
        Assert.Equal(0.05, ring.Std);
        Assert.Equal([8L, 2L], ring.Centers.shape);
        var centers = ring.Centers.data<float>().ToArray();
        for (int i = 0; i < 8; i++)
        {
            double angle = 2 * Math.PI * i / 8;
            Assert.Equal(2 * Math.Cos(angle), centers[2 * i], 1e-6);
            Assert.Equal(2 * Math.Sin(angle), centers[2 * i + 1], 1e-6);
        }
    }

    [Fact]
    public void SamplesStayNearTheirCircleAndVisitEveryMode()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(5);
        var ring = new RingOfGaussians();
        var samples = ring.Sample(4_000, rng);

        Assert.Equal([4_000L, 2L], samples.shape);
        Assert.Equal(ScalarType.Float32, samples.dtype);
        // Nearest center per sample: each of the 8 gets about 500 (binomial sd ≈ 21).
        var nearest = cdist(samples, ring.Centers).argmin(1);
        var counts = bincount(nearest, minlength: 8).data<long>().ToArray();
        Assert.All(counts, count => Assert.InRange(count, 400L, 600L));
        // The radius varies by about σ: 0.05; 6σ bounds every sample here.
        var radius = samples.norm(1);
        Assert.True((radius - 2).abs().max().item<float>() < 0.3f);
    }

    [Fact]
    public void NonPositiveModeCountIsRefusedByName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RingOfGaussians(modes: 0));
        Assert.Equal("modes", error.ParamName);
        Assert.Equal("std", Assert.Throws<ArgumentOutOfRangeException>(() => new RingOfGaussians(std: 0)).ParamName);
        Assert.Equal("radius", Assert.Throws<ArgumentOutOfRangeException>(() => new RingOfGaussians(radius: double.PositiveInfinity)).ParamName);
    }
}
