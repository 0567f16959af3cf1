using Latent.Data;
using Latent.Evaluation;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class ModeCoverageTests
{
    [Fact]
    public void HandPlacedSamplesGiveExactCountsShareAndKl()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var ring = new RingOfGaussians(); // radius 2, σ = 0.05: high quality within 0.15
        var c = ring.Centers.to(ScalarType.Float64);
        var samples = stack([
            c[0], c[0],                                        // two on mode 0
            c[2] + tensor(new double[] { 0.1, 0 }),            // 0.1 from mode 2: high quality
            c[5],                                              // one on mode 5
            zeros(2, dtype: ScalarType.Float64),               // the origin, 2 from every mode
            c[1] + tensor(new double[] { 0, 0.2 }),            // 0.2 from mode 1: too far
        ]);

        var result = ModeCoverage.Measure(samples, ring);

        Assert.Equal(3, result.ModesCovered);
        Assert.Equal(8, result.ModeCount);
        Assert.Equal(4.0 / 6, result.HighQualityShare);
        Assert.Equal([2, 0, 1, 0, 0, 1, 0, 0], result.HighQualityHistogram);
        // p = (½, ¼, ¼) on 3 of 8 modes: ½·ln 4 + 2·¼·ln 2 = 1.5·ln 2.
        RelativeAssert.Close(1.5 * Math.Log(2), result.ModeKl, 1e-15);
    }

    [Fact]
    public void AllSamplesOnOneModeGiveKlLnK()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var ring = new RingOfGaussians();
        var samples = ring.Centers[3].unsqueeze(0).expand(10, 2);

        var result = ModeCoverage.Measure(samples, ring.Centers, ring.Std);

        Assert.Equal(1, result.ModesCovered);
        Assert.Equal(1.0, result.HighQualityShare);
        RelativeAssert.Close(Math.Log(8), result.ModeKl, 1e-15);
    }

    [Fact]
    public void OneSampleOnEveryModeGivesZeroKl()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var grid = new GridOfGaussians();

        var result = ModeCoverage.Measure(grid.Centers, grid);

        Assert.Equal(25, result.ModesCovered);
        Assert.Equal(0.0, result.ModeKl);
    }

    [Fact]
    public void NoHighQualitySampleGivesNaNKlAndNoMode()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var result = ModeCoverage.Measure(zeros(5, 2), new RingOfGaussians());

        Assert.Equal(0, result.ModesCovered);
        Assert.Equal(0.0, result.HighQualityShare);
        Assert.True(double.IsNaN(result.ModeKl));
        Assert.Equal(new int[8], result.HighQualityHistogram);
    }

    [Fact]
    public void RingsOwnSamplesCoverAllEightModesWithinThreeStd()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(17);
        var ring = new RingOfGaussians();

        var result = ModeCoverage.Measure(ring.Sample(2_500, rng), ring);

        Assert.Equal(8, result.ModesCovered);
        // In 2D, P(‖ε‖ ≤ 3σ) = 1 − exp(−9/2) = 0.98889; binomial sd over 2,500 is 0.0021.
        Assert.InRange(result.HighQualityShare, 0.982, 0.995);
        Assert.InRange(result.ModeKl, 0.0, 0.01);
    }

    [Fact]
    public void ColumnMismatchIsRefusedNamingBothShapes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => ModeCoverage.Measure(zeros(100, 3), zeros(8, 2), 0.05));
        Assert.Contains("samples [100, 3] and centers [8, 2] must have the same number of columns", error.Message);
        Assert.Equal("withinStds", Assert.Throws<ArgumentOutOfRangeException>(() => ModeCoverage.Measure(zeros(1, 2), zeros(8, 2), 0.05, withinStds: 0)).ParamName);
    }

    [Fact]
    public void MeasureLeavesNoTensorBehindAndKeepsItsInputs()
    {
        LatentRuntime.EnsureLoaded();
        var ring = new RingOfGaussians();
        using var samples = zeros(50, 2);
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        ModeCoverage.Measure(samples, ring);

        Assert.Equal(liveBefore, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.False(samples.IsInvalid);
        Assert.False(ring.Centers.IsInvalid);
    }
}
