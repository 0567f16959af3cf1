using Latent.Data;
using Latent.Evaluation;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data;

public class NoisyCircleTests
{
    [Fact]
    public void WithoutNoiseEveryPointIsOnTheCircleAndTheEndsCoincide()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(0);
        var circle = new NoisyCircle(rng, count: 200, radius: 1.5, noise: 0);

        Assert.Equal([200L, 2L], circle.Points.shape);
        Assert.True((circle.Points.norm(1) - 1.5).abs().max().item<float>() < 1e-6f);
        // linspace over [0, 2π] includes both ends, as numpy's does: the first and last angles are the same point.
        var first = circle.Points[0].data<float>().ToArray();
        var last = circle.Points[199].data<float>().ToArray();
        Assert.Equal(1.5f, first[0]);
        Assert.Equal(0f, first[1]);
        Assert.Equal(first[0], last[0], 1e-6f);
        Assert.Equal(first[1], last[1], 1e-6f);
        // Neighbouring angles are 2π/199 apart.
        var second = circle.Points[1].data<float>().ToArray();
        Assert.Equal(1.5 * Math.Sin(2 * Math.PI / 199), second[1], 1e-6);
    }

    [Fact]
    public void NoiseHasTheAskedStdAroundTheCleanCircle()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(8);
        var circle = new NoisyCircle(rng, count: 5_000, noise: 0.05);
        using var cleanRng = new Generator(8);
        var clean = new NoisyCircle(cleanRng, count: 5_000, noise: 0);

        var residual = (circle.Points - clean.Points).reshape(-1, 1);
        var moments = SampleMoments.Of(residual);
        // 10,000 residuals: standard error of the std ≈ 0.05/√20000 ≈ 0.00035.
        Assert.InRange(moments.Std, 0.0485, 0.0515);
        Assert.InRange(moments.Mean, -0.002, 0.002);
    }

    [Fact]
    public void InvalidParametersAreRefusedByName()
    {
        LatentRuntime.EnsureLoaded();
        using var rng = new Generator(0);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => new NoisyCircle(rng, count: 0)).ParamName);
        Assert.Equal("radius", Assert.Throws<ArgumentOutOfRangeException>(() => new NoisyCircle(rng, radius: 0)).ParamName);
        Assert.Equal("noise", Assert.Throws<ArgumentOutOfRangeException>(() => new NoisyCircle(rng, noise: -0.1)).ParamName);
    }
}
