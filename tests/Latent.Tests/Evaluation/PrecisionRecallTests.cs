using Latent.Evaluation;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class PrecisionRecallTests
{
    [Fact]
    public void FakesEqualToTheRealGridGiveFullPrecisionAndRecall()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var grid = Grid(4, 3);

        var result = PrecisionRecall.Measure(grid, grid.clone());

        Assert.Equal(new PrecisionRecallResult(1, 1, 3), result);
    }

    [Fact]
    public void FakesFarAwayGiveZeroPrecisionAndRecall()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var grid = Grid(4, 3);

        var result = PrecisionRecall.Measure(grid, grid + 100);

        Assert.Equal(0.0, result.Precision);
        Assert.Equal(0.0, result.Recall);
    }

    [Fact]
    public void FakesCopyingOneOfTwoRealClustersGiveHalfTheRecall()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var reals = Line(0, 1, 2, 3, 4, 100, 101, 102, 103, 104);
        var fakes = Line(0, 1, 2, 3, 4);

        // Every fake is a real point: precision 1. Fake radii (k = 3): 3, 2, 2, 2, 3, so the fake balls span [−3, 7]:
        // they hold reals 0–4 and none of 100–104, recall 5/10.
        var result = PrecisionRecall.Measure(reals, fakes);

        Assert.Equal(new PrecisionRecallResult(1, 0.5, 3), result);
    }

    [Fact]
    public void AHandCountedConfigurationGivesItsCounts()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var reals = Line(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        var fakes = Line(-2.5, 4.5, 9, 20, 20.5, 21);

        // Real radii (k = 3): 3 at the ends, 2 inside. −2.5 is in ball 0 (2.5 ≤ 3), 4.5 in balls 3–6, 9 is a real
        // point; 20, 20.5 and 21 are out: precision 3/6.
        // Fake radii: −2.5 → 7, 11.5, 22.5 → 22.5, a ball [−25, 20] that holds every real: recall 1, an outlying fake
        // inflates it. (4.5 → 15.5; 9 → 11.5; the three near 20 → 11, 11.5, 12.)
        var result = PrecisionRecall.Measure(reals, fakes);

        Assert.Equal(0.5, result.Precision);
        Assert.Equal(1.0, result.Recall);

        // k = 1: real radii 1, so only 4.5 (0.5 from 4) and 9 are inside, precision 2/6. Fake radii 7, 4.5, 4.5, 0.5, 0.5,
        // 0.5: the ball of 4.5 spans [0, 9] and holds every real, recall 1.
        var tight = PrecisionRecall.Measure(reals, fakes, k: 1);
        Assert.Equal(new PrecisionRecallResult(2.0 / 6, 1, 1), tight);
    }

    [Fact]
    public void TheFakeManifoldReachesOnlyTheRealsNearIt()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var reals = Line(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        var fakes = Line(0, 1, 2, 3);

        // Fake radii (k = 3): 3, 2, 2, 3; balls [−3, 3], [−1, 3], [0, 4], [0, 6] hold reals 0–6: recall 7/10.
        var result = PrecisionRecall.Measure(reals, fakes);

        Assert.Equal(1.0, result.Precision);
        Assert.Equal(0.7, result.Recall);
    }

    [Fact]
    public void SetsTooSmallForTheRankAreRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => PrecisionRecall.Measure(Grid(3, 3), Line(0, 1, 2)));
        Assert.Contains("fake [3, 1] has 3 rows; expected at least 4", error.Message);
        var columns = Assert.Throws<ArgumentException>(() => PrecisionRecall.Measure(Grid(3, 3), Line(0, 1, 2, 3)));
        Assert.Contains("real [9, 2] and fake [4, 1] must have the same number of features", columns.Message);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => PrecisionRecall.Measure(Grid(3, 3), Grid(3, 3), k: 0)).ParamName);
    }

    /// <summary>The points (i, j) of a columns × rows grid with spacing 1, float32 as features usually come.</summary>
    internal static Tensor Grid(int columns, int rows) =>
        tensor(Enumerable.Range(0, columns * rows).SelectMany(n => new float[] { n % columns, n / columns }).ToArray(), [columns * rows, 2]);

    /// <summary>Points on a line, one feature each.</summary>
    internal static Tensor Line(params double[] positions) => tensor(positions, [positions.Length, 1]);
}
