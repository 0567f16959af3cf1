using Latent.Evaluation;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class ManifoldMetricsTests
{
    [Theory]
    [InlineData(1500, 1200, 3, 5)]
    [InlineData(300, 2100, 3, 5)]
    [InlineData(500, 400, 4, 2)]
    public void OnePassGivesExactlyWhatPrecisionRecallAndDensityCoverageGiveApart(int reals, int fakes, int precisionK, int densityK)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(11);
        // More rows than one block (1,000) on at least one side, overlapping but different distributions.
        var real = randn(reals, 16, dtype: ScalarType.Float64, generator: rng);
        var fake = randn(fakes, 16, dtype: ScalarType.Float64, generator: rng) * 1.3 + 0.2;

        var (precisionRecall, densityCoverage) = ManifoldMetrics.Measure(real, fake, precisionK, densityK);

        Assert.Equal(PrecisionRecall.Measure(real, fake, precisionK), precisionRecall);
        Assert.Equal(DensityCoverage.Measure(real, fake, densityK), densityCoverage);
        // Overlapping sets: neither side's manifold holds all or none of the other's points.
        Assert.InRange(precisionRecall.Precision, 0.01, 0.99);
        Assert.InRange(precisionRecall.Recall, 0.01, 0.99);
    }

    [Fact]
    public void TooFewFakesForTheirOwnRadiiAreRefusedWithTheReason()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        var error = Assert.Throws<ArgumentException>(() => ManifoldMetrics.Measure(randn(20, 4), randn(3, 4)));

        Assert.Contains("M ≥ 4", error.Message);
    }
}
