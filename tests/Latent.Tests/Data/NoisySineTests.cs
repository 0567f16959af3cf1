using Latent.Data;
using Latent.Evaluation;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data;

public class NoisySineTests
{
    [Fact]
    public void CleanCurveRunsFromOriginToOneOverTwoPeriods()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(0);
        var sine = new NoisySine(rng);

        Assert.Equal([300L, 2L], sine.CleanPoints.shape);
        var clean = sine.CleanPoints.data<float>().ToArray();
        Assert.Equal(0f, clean[0]);
        Assert.Equal(0f, clean[1]);
        Assert.Equal(1f, clean[598]);
        Assert.Equal(0.0, clean[599], 1e-6); // sin 4π
        // Point i has t = 4π·i/299, so x = i/299 and y = sin t.
        Assert.Equal(100 / 299.0, clean[200], 1e-7);
        Assert.Equal(Math.Sin(4 * Math.PI * 100 / 299), clean[201], 1e-6);
    }

    [Fact]
    public void ZeroNoiseGivesTheCleanCurve()
    {
        LatentRuntime.EnsureLoaded();
        using var rng = new Generator(0);
        var sine = new NoisySine(rng, count: 50, noise: 0);

        Assert.True(sine.Points.equal(sine.CleanPoints).all().item<bool>());
    }

    [Fact]
    public void NoiseHasTheAskedStd()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(9);
        var sine = new NoisySine(rng, count: 5_000, noise: 0.3);

        var moments = SampleMoments.Of((sine.Points - sine.CleanPoints).reshape(-1));
        // Standard error of the std over 10,000 values ≈ 0.3/√20000 ≈ 0.0021.
        Assert.InRange(moments.Std, 0.29, 0.31);
    }

    [Fact]
    public void InvalidParametersAreRefusedByName()
    {
        LatentRuntime.EnsureLoaded();
        using var rng = new Generator(0);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => new NoisySine(rng, count: 0)).ParamName);
        Assert.Equal("noise", Assert.Throws<ArgumentOutOfRangeException>(() => new NoisySine(rng, noise: double.NaN)).ParamName);
    }
}
