using Latent.Models.Corruption;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models.Corruption;

public class GaussianCorruptionTests
{
    [Fact]
    public void AddsZeroMeanNoiseOfTheGivenStd()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(21);
        var clean = full(200, 500, 2.0f); // 100,000 values: the sample std is within ±0.5% of σ (2 standard errors)

        var difference = (new GaussianCorruption(0.3).Apply(clean, noise) - clean).to(float64);

        double std = difference.std().item<double>();
        double mean = difference.mean().item<double>();
        Assert.InRange(std, 0.3 * 0.98, 0.3 * 1.02);
        Assert.InRange(mean, -0.005, 0.005); // standard error 0.3/√100000 ≈ 0.001
    }

    [Fact]
    public void LeavesTheInputUnchanged()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(22);
        var clean = arange(12, dtype: float32).reshape(3, 4);
        var copy = clean.clone();

        var noisy = new GaussianCorruption(1.0).Apply(clean, noise);

        Assert.True(clean.Equals(copy));
        Assert.False(noisy.Equals(clean));
        Assert.Equal(clean.shape, noisy.shape);
    }

    [Fact]
    public void SameGeneratorStateGivesTheSameNoise()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var first = new Generator(23);
        using var second = new Generator(23);
        var clean = zeros(4, 3);
        var corruption = new GaussianCorruption(0.5);

        Assert.True(corruption.Apply(clean, first).Equals(corruption.Apply(clean, second)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void NonPositiveOrNonFiniteStdIsRefused(double std)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianCorruption(std));
        Assert.Equal("std", error.ParamName);
    }
}
