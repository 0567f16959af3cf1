using Latent.Evaluation;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class MaximumMeanDiscrepancyTests
{
    [Fact]
    public void TinyCaseMatchesTheHandComputedEstimate()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 0, 1 }, [2, 1]);
        var y = tensor(new double[] { 0, 2 }, [2, 1]);

        // σ = 1, k = exp(−d²/2). Within x: k(0,1) = e^−½. Within y: k(0,2) = e^−2.
        // Across, averaged over 4 pairs: (1 + e^−2 + e^−½ + e^−½)/4, counted twice.
        // e^−½ + e^−2 − (1 + e^−2 + 2e^−½)/2 = e^−2/2 − ½.
        RelativeAssert.Close(Math.Exp(-2) / 2 - 0.5, MaximumMeanDiscrepancy.GaussianKernel(x, y, bandwidth: 1), 1e-15);
    }

    [Fact]
    public void MedianHeuristicTakesTheMedianPairDistanceOfThePooledSample()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // Pooled {0, 1, 0, 2}: pair distances 0, 1, 1, 1, 2, 2, median 1.
        var x = tensor(new double[] { 0, 1 }, [2, 1]);
        var y = tensor(new double[] { 0, 2 }, [2, 1]);
        Assert.Equal(MaximumMeanDiscrepancy.GaussianKernel(x, y, 1), MaximumMeanDiscrepancy.GaussianKernel(x, y));

        // Pooled {0, 1, 2, 3}: distances 1, 1, 1, 2, 2, 3, an even count, median (1 + 2)/2.
        var far = tensor(new double[] { 2, 3 }, [2, 1]);
        Assert.Equal(MaximumMeanDiscrepancy.GaussianKernel(x, far, 1.5), MaximumMeanDiscrepancy.GaussianKernel(x, far));
    }

    [Fact]
    public void SamplesOfTheSameGaussianGiveNearlyZero()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(31);
        var x = randn(500, 2, generator: rng);
        var y = randn(500, 2, generator: rng);

        double value = MaximumMeanDiscrepancy.GaussianKernel(x, y);
        Assert.InRange(value, -0.005, 0.005);
    }

    [Fact]
    public void ShiftedGaussianGivesAClearlyPositiveValue()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(32);
        var x = randn(500, 2, generator: rng);
        var y = randn(500, 2, generator: rng) + 1;

        double value = MaximumMeanDiscrepancy.GaussianKernel(x, y);
        Assert.InRange(value, 0.1, 1.0);
    }

    [Fact]
    public void MismatchedColumnsAreRefusedNamingBothShapes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => MaximumMeanDiscrepancy.GaussianKernel(zeros(4, 2), zeros(5, 3)));
        Assert.Contains("x [4, 2] and y [5, 3]", error.Message);
        Assert.Throws<ArgumentException>(() => MaximumMeanDiscrepancy.GaussianKernel(zeros(1, 2), zeros(5, 2)));
        Assert.Equal("bandwidth", Assert.Throws<ArgumentOutOfRangeException>(() => MaximumMeanDiscrepancy.GaussianKernel(zeros(2, 2), zeros(2, 2), 0)).ParamName);
    }
}
