using Latent.Evaluation;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class NearestNeighboursTests
{
    [Fact]
    public void KthNeighbourDistancesOfALineAreCountedByHand()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var line = arange(10, dtype: ScalarType.Float64).unsqueeze(1); // 0, 1, …, 9

        // Point 0: neighbours 1, 2, 3 → 3rd at 3. Points 1–8: two at 1, then one at 2 → 2. Point 9 mirrors point 0.
        Assert.Equal([3.0, 2, 2, 2, 2, 2, 2, 2, 2, 3], NearestNeighbours.KthNeighbourDistances(line, 3).data<double>().ToArray());
        Assert.Equal(Enumerable.Repeat(1.0, 10), NearestNeighbours.KthNeighbourDistances(line, 1).data<double>().ToArray());
    }

    [Fact]
    public void APointIsNotItsOwnNeighbourButItsDuplicateIs()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var points = tensor(new double[] { 0, 0, 5 }, [3, 1]);

        Assert.Equal([0.0, 0, 5], NearestNeighbours.KthNeighbourDistances(points, 1).data<double>().ToArray());
    }

    [Fact]
    public void SmallBlocksGiveTheSameAnswersAsABruteForceSearch()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(61);
        var centres = randn(53, 3, dtype: ScalarType.Float64, generator: rng);
        var queries = randn(41, 3, dtype: ScalarType.Float64, generator: rng) * 1.5;
        double[][] c = Rows(centres), q = Rows(queries);

        // Blocks of 7 rows cross many block borders, including a last, shorter block.
        var radii = NearestNeighbours.KthNeighbourDistances(centres, 4, blockRows: 7);
        var membership = NearestNeighbours.InsideBalls(centres, radii, queries, blockRows: 7);

        var expectedRadii = c.Select((p, i) => c.Where((_, j) => j != i).Select(o => Distance(p, o)).Order().ElementAt(3)).ToArray();
        var r = radii.data<double>().ToArray();
        for (int i = 0; i < c.Length; i++)
            RelativeAssert.Close(expectedRadii[i], r[i], 1e-12);
        // Membership by the test's own distances; these random points sit nowhere near a sphere, so round-off decides no case.
        bool[,] inside = new bool[q.Length, c.Length];
        for (int j = 0; j < q.Length; j++)
            for (int i = 0; i < c.Length; i++)
                inside[j, i] = Distance(c[i], q[j]) <= r[i];
        var queryInside = membership.QueryInside.data<bool>().ToArray();
        var reached = membership.CentreReached.data<bool>().ToArray();
        for (int j = 0; j < q.Length; j++)
            Assert.Equal(Enumerable.Range(0, c.Length).Any(i => inside[j, i]), queryInside[j]);
        for (int i = 0; i < c.Length; i++)
            Assert.Equal(Enumerable.Range(0, q.Length).Any(j => inside[j, i]), reached[i]);
        Assert.Equal(inside.Cast<bool>().Count(x => x), membership.Pairs);
        Assert.Contains(false, queryInside);
        Assert.Contains(true, queryInside);
        Assert.Contains(true, reached);
        Assert.Contains(false, reached);
    }

    [Fact]
    public void BlockSizeDoesNotChangeTheResults()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(62);
        var centres = randn(120, 5, dtype: ScalarType.Float64, generator: rng);
        var queries = randn(90, 5, dtype: ScalarType.Float64, generator: rng);

        var radii = NearestNeighbours.KthNeighbourDistances(centres, 3);
        var membership = NearestNeighbours.InsideBalls(centres, radii, queries);
        var blockedRadii = NearestNeighbours.KthNeighbourDistances(centres, 3, blockRows: 11);
        var blocked = NearestNeighbours.InsideBalls(centres, blockedRadii, queries, blockRows: 11);

        Assert.Equal(radii.data<double>().ToArray(), blockedRadii.data<double>().ToArray());
        Assert.Equal(membership.QueryInside.data<bool>().ToArray(), blocked.QueryInside.data<bool>().ToArray());
        Assert.Equal(membership.CentreReached.data<bool>().ToArray(), blocked.CentreReached.data<bool>().ToArray());
        Assert.Equal(membership.Pairs, blocked.Pairs);
        Assert.True(membership.Pairs > 0);
    }

    [Fact]
    public void ARankBeyondTheOtherPointsIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbours.KthNeighbourDistances(zeros(3, 2, dtype: ScalarType.Float64), 3)).ParamName);
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (p, q) => (p - q) * (p - q)).Sum());

    private static double[][] Rows(Tensor matrix) =>
        Enumerable.Range(0, (int)matrix.shape[0]).Select(i => matrix[i].data<double>().ToArray()).ToArray();
}
