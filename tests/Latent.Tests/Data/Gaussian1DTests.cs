using Latent.Data;
using Latent.Evaluation;
using Latent.Runtime;
using Latent.Tests.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data;

public class Gaussian1DTests
{
    [Fact]
    public void SamplesAreOneColumnOfFloatsWithTheAskedMoments()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(1);
        var samples = new Gaussian1D(mean: 3, std: 0.5).Sample(40_000, rng);

        Assert.Equal([40_000L, 1L], samples.shape);
        Assert.Equal(ScalarType.Float32, samples.dtype);
        var moments = SampleMoments.Of(samples);
        // Standard errors: 0.5/√40000 = 0.0025 for the mean, 0.5/√80000 ≈ 0.0018 for the std.
        Assert.InRange(moments.Mean, 2.99, 3.01);
        Assert.InRange(moments.Std, 0.493, 0.507);
    }

    [Fact]
    public void SameGeneratorSeedGivesTheSameSamples()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var first = new Generator(7);
        using var second = new Generator(7);
        var source = new Gaussian1D();

        Assert.True(source.Sample(100, first).equal(source.Sample(100, second)).all().item<bool>());
    }

    [Fact]
    public void DensityAndCdfAreThoseOfTheShiftedAndScaledNormal()
    {
        var source = new Gaussian1D(mean: 3, std: 0.5);

        RelativeAssert.Close(2 / Math.Sqrt(2 * Math.PI), source.Density(3), 1e-15);
        Assert.Equal(0.5, source.Cdf(3));
        RelativeAssert.Close(0.97500210485177956586, source.Cdf(3 + 1.96 * 0.5), 2e-15);
    }

    [Fact]
    public void NonPositiveStdIsRefusedByName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Gaussian1D(std: 0));
        Assert.Equal("std", error.ParamName);
        Assert.Contains("must be finite and > 0", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gaussian1D(mean: double.NaN));
    }
}
