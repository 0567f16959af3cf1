using Latent.Data;
using Latent.Runtime;
using Latent.Tests.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data;

public class BimodalGaussianTests
{
    [Fact]
    public void DefaultsAreTheTutorialsModesAtPlusMinusTwoWithStdPointThree()
    {
        LatentRuntime.EnsureLoaded();
        var target = new BimodalGaussian();

        Assert.Equal(2.0, target.Offset);
        Assert.Equal(0.3, target.Std);
        Assert.Equal(1, target.Dimension);
        Assert.Equal(new float[] { -2, 2 }, target.Centers.data<float>().ToArray());
    }

    [Fact]
    public void DensityIsTheEqualMixtureOfTheTwoNormals()
    {
        var target = new BimodalGaussian(offset: 2, std: 0.5);
        // At x = 2: ½·φ(0)/0.5 + ½·φ(8)/0.5 = φ(0) + φ(8).
        RelativeAssert.Close(StandardNormal.Density(0) + StandardNormal.Density(8), target.Density(2), 1e-15);
        Assert.Equal(target.Density(-1.3), target.Density(1.3));
        Assert.Equal(0.5, target.Cdf(0));
        // At x = 1: ½·Φ(−2) + ½·Φ(6), from mpmath.
        RelativeAssert.Close(0.51137506548079578108, target.Cdf(1), 1e-15);
    }

    [Fact]
    public void SamplesSplitEvenlyBetweenTheModes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(3);
        var samples = new BimodalGaussian().Sample(10_000, rng);

        Assert.Equal([10_000L, 1L], samples.shape);
        double rightShare = samples.gt(0).to(ScalarType.Float64).mean().item<double>();
        // Binomial standard error 0.005.
        Assert.InRange(rightShare, 0.48, 0.52);
        // Everything lies within 6σ = 1.8 of ±2.
        Assert.True((samples.abs() - 2).abs().max().item<float>() < 1.8f);
    }

    [Fact]
    public void NonPositiveOffsetIsRefusedByName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BimodalGaussian(offset: -1));
        Assert.Equal("offset", error.ParamName);
    }
}
