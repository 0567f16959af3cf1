using Latent.Evaluation;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class KernelDistanceTests
{
    [Fact]
    public void UnbiasedMatchesAHandWrittenDoubleLoop()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(51);
        var x = randn(6, 3, dtype: ScalarType.Float64, generator: rng);
        var y = randn(7, 3, dtype: ScalarType.Float64, generator: rng) + 0.5;
        double[][] a = Rows(x), b = Rows(y);

        static double Kernel(double[] u, double[] v) => Math.Pow(u.Zip(v, (p, q) => p * q).Sum() / u.Length + 1, 3);
        double withinX = 0, withinY = 0, across = 0;
        for (int i = 0; i < a.Length; i++)
            for (int j = 0; j < a.Length; j++)
                if (i != j) withinX += Kernel(a[i], a[j]);
        for (int i = 0; i < b.Length; i++)
            for (int j = 0; j < b.Length; j++)
                if (i != j) withinY += Kernel(b[i], b[j]);
        foreach (var u in a)
            foreach (var v in b)
                across += Kernel(u, v);
        double expected = withinX / (6 * 5) + withinY / (7 * 6) - 2 * across / (6 * 7);

        RelativeAssert.Close(expected, KernelDistance.Unbiased(x, y), 1e-12);
    }

    [Fact]
    public void UnbiasedSumsAcrossBlockBordersLikeOneTable()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(52);
        // 1,100 rows take two blocks of 1,000; the direct sums over the full tables are the reference.
        var x = randn(1_100, 4, dtype: ScalarType.Float64, generator: rng);
        var y = randn(300, 4, dtype: ScalarType.Float64, generator: rng) * 1.3;
        static Tensor Kernel(Tensor u, Tensor v) => (u.matmul(v.t()) / 4 + 1).pow(3);
        var withinX = Kernel(x, x);
        var withinY = Kernel(y, y);
        double expected = (withinX.sum() - withinX.trace()).item<double>() / (1_100.0 * 1_099)
                        + (withinY.sum() - withinY.trace()).item<double>() / (300.0 * 299)
                        - 2 * Kernel(x, y).sum().item<double>() / (1_100.0 * 300);

        RelativeAssert.Close(expected, KernelDistance.Unbiased(x, y), 1e-10);
    }

    [Fact]
    public void SamplesOfOneDistributionGiveNearlyZero()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(53);
        var x = randn(1_000, 16, generator: rng);
        var y = randn(1_000, 16, generator: rng);

        Assert.InRange(KernelDistance.Unbiased(x, y), -0.01, 0.01);
    }

    [Fact]
    public void ShiftedDistributionGivesAClearlyPositiveValue()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(54);
        var x = randn(1_000, 16, generator: rng);
        var y = randn(1_000, 16, generator: rng) + 0.5;

        Assert.InRange(KernelDistance.Unbiased(x, y), 0.2, 10);
    }

    [Fact]
    public void SubsetsCoveringBothSetsEqualTheFullEstimate()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(55);
        var real = randn(40, 5, dtype: ScalarType.Float64, generator: rng);
        var fake = randn(40, 5, dtype: ScalarType.Float64, generator: rng) * 2;

        // The sets have 40 rows and the subsets ask for 1,000: every subset is a permutation of all rows.
        var result = KernelDistance.Measure(real, fake, rng, subsets: 5);

        Assert.Equal(40, result.SubsetSize);
        Assert.Equal(1000, result.RequestedSubsetSize);
        Assert.True(result.SubsetSizeReduced);
        Assert.Equal(5, result.Subsets);
        double full = KernelDistance.Unbiased(real, fake);
        RelativeAssert.Close(full, result.Mean, 1e-12);
        Assert.InRange(result.StandardDeviation, 0, 1e-12 * Math.Abs(full));
    }

    [Fact]
    public void MeasureAveragesTheEstimatesOfItsDrawnSubsets()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var data = new Generator(56);
        var real = randn(300, 6, dtype: ScalarType.Float64, generator: data);
        var fake = randn(200, 6, dtype: ScalarType.Float64, generator: data) + 0.2;

        using var rng = new Generator(7);
        var result = KernelDistance.Measure(real, fake, rng, subsets: 8, subsetSize: 50);

        // The documented draws: per subset, a permutation of the real rows, then one of the fake rows, first 50 of each.
        using var replay = new Generator(7);
        var estimates = new double[8];
        for (int s = 0; s < 8; s++)
        {
            var realRows = randperm(300, generator: replay).narrow(0, 0, 50);
            var fakeRows = randperm(200, generator: replay).narrow(0, 0, 50);
            estimates[s] = KernelDistance.Unbiased(real.index_select(0, realRows), fake.index_select(0, fakeRows));
        }
        double mean = estimates.Average();
        double std = Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / 7);

        Assert.False(result.SubsetSizeReduced);
        Assert.Equal(50, result.SubsetSize);
        RelativeAssert.Close(mean, result.Mean, 1e-12);
        RelativeAssert.Close(std, result.StandardDeviation, 1e-10);
        Assert.Equal(result.StandardDeviation / Math.Sqrt(8), result.StandardError);
        Assert.True(result.StandardDeviation > 0);
    }

    [Fact]
    public void SameSeedGivesTheSameResult()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var data = new Generator(57);
        var real = randn(250, 8, generator: data);
        var fake = randn(250, 8, generator: data) * 1.2;

        KernelDistanceResult Run(ulong seed)
        {
            using var rng = new Generator(seed);
            return KernelDistance.Measure(real, fake, rng, subsets: 10, subsetSize: 100);
        }

        Assert.Equal(Run(3), Run(3));
        Assert.NotEqual(Run(3).Mean, Run(4).Mean);
    }

    [Fact]
    public void BadArgumentsAreRefusedNamingWhatWasReceived()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(58);
        var columns = Assert.Throws<ArgumentException>(() => KernelDistance.Unbiased(zeros(5, 2), zeros(5, 3)));
        Assert.Contains("x [5, 2] and y [5, 3] must have the same number of features", columns.Message);
        var rows = Assert.Throws<ArgumentException>(() => KernelDistance.Measure(zeros(1, 2), zeros(5, 2), rng));
        Assert.Contains("real [1, 2] has 1 rows; expected at least 2", rows.Message);
        Assert.Equal("subsets", Assert.Throws<ArgumentOutOfRangeException>(() => KernelDistance.Measure(zeros(5, 2), zeros(5, 2), rng, subsets: 1)).ParamName);
        Assert.Equal("subsetSize", Assert.Throws<ArgumentOutOfRangeException>(() => KernelDistance.Measure(zeros(5, 2), zeros(5, 2), rng, subsetSize: 1)).ParamName);
    }

    [Fact]
    public void MeasureLeavesNoTensorBehind()
    {
        LatentRuntime.EnsureLoaded();
        using var rng = new Generator(59);
        using var real = randn(60, 3, generator: rng);
        using var fake = randn(60, 3, generator: rng);
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        KernelDistance.Measure(real, fake, rng, subsets: 4, subsetSize: 30);
        KernelDistance.Unbiased(real, fake);

        Assert.Equal(liveBefore, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.False(real.IsInvalid);
    }

    private static double[][] Rows(Tensor matrix) =>
        Enumerable.Range(0, (int)matrix.shape[0]).Select(i => matrix[i].data<double>().ToArray()).ToArray();
}
