using Latent.Models.Corruption;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models.Corruption;

public class MaskingCorruptionTests
{
    [Fact]
    public void ZeroesAboutPOfTheValuesAndKeepsTheRest()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(31);
        var clean = rand([200, 500], generator: noise) + 1; // all in [1, 2): a zero can only come from the mask

        var masked = new MaskingCorruption(0.25).Apply(clean, noise);

        var zeroed = masked == 0;
        double share = zeroed.to(float64).mean().item<double>();
        Assert.InRange(share, 0.24, 0.26); // standard error √(0.25·0.75/100000) ≈ 0.0014
        Assert.True(masked.masked_select(zeroed.logical_not()).Equals(clean.masked_select(zeroed.logical_not())));
    }

    [Fact]
    public void LeavesTheInputUnchanged()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(32);
        var clean = ones(10, 10);

        var masked = new MaskingCorruption(0.5).Apply(clean, noise);

        Assert.Equal(100, clean.sum().item<float>());
        Assert.True(masked.sum().item<float>() < 100);
    }

    [Fact]
    public void ProbabilityZeroKeepsEveryValue()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(33);
        var clean = randn([20, 9], generator: noise);

        Assert.True(new MaskingCorruption(0).Apply(clean, noise).Equals(clean));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void ProbabilityOutsideZeroToOneIsRefused(double probability)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MaskingCorruption(probability));
        Assert.Equal("probability", error.ParamName);
    }
}
