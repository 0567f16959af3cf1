using Latent.Evaluation;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class DensityCoverageTests
{
    [Fact]
    public void FakesEqualToRealsWithoutTiesGiveDensityKPlusOneOverK()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // Powers of two: the distances from any one point to the others are all different (2ᵃ + 2ᵇ = 2^(i+1) only
        // for a = b = i), so no point sits on another's sphere.
        var reals = Line(1, 2, 4, 8, 16, 32, 64);

        // Each ball holds its centre and exactly its k = 5 neighbours: 6 fakes per ball, density 7·6/(5·7) = 6/5.
        var result = DensityCoverage.Measure(reals, reals.clone());

        Assert.Equal(new DensityCoverageResult(6.0 / 5, 1, 5), result);
    }

    [Fact]
    public void FakesOnTheSphereCountAsInside()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var reals = Line(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        // k = 3. Ball 0 has radius 3 and holds 0–3 (4 points); ball 1, radius 2, holds 0–3 (4); balls 2–7, radius 2,
        // hold 5 points each, the two at distance 2 being on the sphere; balls 8 and 9 mirror 1 and 0.
        // 4 + 4 + 6·5 + 4 + 4 = 46 over k·M = 30.
        var result = DensityCoverage.Measure(reals, reals.clone(), k: 3);

        Assert.Equal(46.0 / 30, result.Density);
        Assert.Equal(1.0, result.Coverage);
    }

    [Fact]
    public void FakesOnTheRealGridCoverIt()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var grid = PrecisionRecallTests.Grid(4, 3);

        var result = DensityCoverage.Measure(grid, grid.clone());

        Assert.Equal(1.0, result.Coverage);
        Assert.True(result.Density >= 6.0 / 5, $"density {result.Density}: each ball holds at least its centre and 5 neighbours");
    }

    [Fact]
    public void FakesFarAwayGiveZero()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var grid = PrecisionRecallTests.Grid(4, 3);

        var result = DensityCoverage.Measure(grid, grid - 50);

        Assert.Equal(new DensityCoverageResult(0, 0, 5), result);
    }

    [Fact]
    public void FakesCopyingOneOfTwoRealClustersCoverHalf()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var reals = Line(0, 1, 2, 3, 4, 5, 100, 101, 102, 103, 104, 105);
        var fakes = Line(0, 1, 2, 3, 4, 5);

        // k = 5 within a cluster of 6 is its farthest point: radii 5, 4, 3, 3, 4, 5 reach across the whole cluster, so
        // each of the 6 fakes lies in all 6 balls of the first cluster: density 36/(5·6) = 1.2. Coverage: 6 of 12 balls.
        var result = DensityCoverage.Measure(reals, fakes);

        Assert.Equal(new DensityCoverageResult(36.0 / 30, 0.5, 5), result);
    }

    [Fact]
    public void AFakeInsideSeveralBallsCountsEveryOne()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var reals = Line(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        var fakes = Line(4.5, -2.5, 50);

        // k = 3, radii 3, 2, …, 2, 3. 4.5 is within 2 of reals 3, 4, 5 and 6 (4 balls); −2.5 is in ball 0 only
        // (2.5 ≤ 3; ball 1 is 3.5 away, radius 2); 50 in none. Density (4 + 1 + 0)/(3·3); balls 0, 3, 4, 5, 6 reached.
        var result = DensityCoverage.Measure(reals, fakes, k: 3);

        Assert.Equal(5.0 / 9, result.Density);
        Assert.Equal(0.5, result.Coverage);
    }

    [Fact]
    public void TooFewRealsForTheRankAreRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => DensityCoverage.Measure(Line(0, 1, 2, 3, 4), Line(0)));
        Assert.Contains("real [5, 1] has 5 rows; expected at least 6", error.Message);
        // One fake is enough. Radii 5, 4, 3, 3, 4, 5 for 0–5 and 49 for the outlier 50, whose ball alone holds the fake.
        Assert.Equal(new DensityCoverageResult(1.0 / 5, 1.0 / 7, 5), DensityCoverage.Measure(Line(0, 1, 2, 3, 4, 5, 50), Line(50)));
    }

    [Fact]
    public void MeasureLeavesNoTensorBehind()
    {
        LatentRuntime.EnsureLoaded();
        using var reals = PrecisionRecallTests.Grid(5, 5);
        using var fakes = reals + 0.3f;
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        DensityCoverage.Measure(reals, fakes);
        PrecisionRecall.Measure(reals, fakes);

        Assert.Equal(liveBefore, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    private static Tensor Line(params double[] positions) => PrecisionRecallTests.Line(positions);
}
