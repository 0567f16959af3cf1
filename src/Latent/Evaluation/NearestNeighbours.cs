using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>
/// k-nearest-neighbour radii and ball membership for the manifold metrics (<see cref="PrecisionRecall"/>,
/// <see cref="DensityCoverage"/>), with pairwise Euclidean distances computed a block of rows at a time.
/// </summary>
/// <remarks>
/// Inputs are float64 CPU matrices already checked by <see cref="FeatureMatrix.ToFloat64"/>. Distances use the direct
/// form √Σ(aₖ − bₖ)² (cdist without the matrix-product shortcut ‖a‖² + ‖b‖² − 2a·b, whose cancellation would move
/// points that sit exactly on a radius to either side, and differently for d(a, b) and d(b, a)). The blocks keep
/// 10,000 × 10,000 comparisons within a 1,000 × 10,000 table at a time.
/// </remarks>
internal static class NearestNeighbours
{
    /// <summary>For each point, the distance to its k-th nearest other point of the same set, (N).</summary>
    /// <param name="points">(N, F) float64 with N ≥ k + 1.</param>
    /// <param name="k">The neighbour rank, ≥ 1; the point itself is never its own neighbour, but a duplicate of it is (at distance 0).</param>
    /// <param name="blockRows">Rows per block; tests use small blocks to cross block borders.</param>
    public static Tensor KthNeighbourDistances(Tensor points, int k, int blockRows = FeatureMatrix.BlockRows) =>
        NeighbourDistances(points, k, blockRows).select(1, k - 1).contiguous();

    /// <summary>For each point, the distances to its k nearest other points of the same set, nearest first, (N, k).</summary>
    /// <param name="points">(N, F) float64 with N ≥ k + 1.</param>
    /// <param name="k">How many neighbours, ≥ 1.</param>
    /// <param name="blockRows">Rows per block.</param>
    public static Tensor NeighbourDistances(Tensor points, int k, int blockRows = FeatureMatrix.BlockRows)
    {
        long count = points.shape[0];
        if (k < 1 || count < k + 1L)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"must be in [1, N − 1] for N = {count} points");
        var nearestK = empty(count, k, dtype: ScalarType.Float64);
        for (long start = 0; start < count; start += blockRows)
        {
            using var blockScope = NewDisposeScope();
            long rows = Math.Min(blockRows, count - start);
            var distances = Distances(points.narrow(0, start, rows), points);
            // Row r is point start + r: its distance to itself sits on the diagonal at offset start, taken out of the ranking.
            distances.diagonal(start).fill_(double.PositiveInfinity);
            // The k smallest, sorted: topk is many times faster than kthvalue on wide rows.
            nearestK.narrow(0, start, rows).copy_(distances.topk(k, dim: 1, largest: false, sorted: true).values);
        }
        return nearestK;
    }

    /// <summary>
    /// Which queries lie inside the balls, a ball being all points within radiusᵢ of centreᵢ (inclusive: a query exactly
    /// on the sphere is inside).
    /// </summary>
    /// <param name="centres">(N, F) float64.</param>
    /// <param name="radii">(N) float64, the radius of each centre's ball.</param>
    /// <param name="queries">(M, F) float64.</param>
    /// <param name="blockRows">Queries per block.</param>
    public static BallMembership InsideBalls(Tensor centres, Tensor radii, Tensor queries, int blockRows = FeatureMatrix.BlockRows)
    {
        long queryCount = queries.shape[0];
        var queryInside = zeros(queryCount, dtype: ScalarType.Bool);
        var centreReached = zeros(centres.shape[0], dtype: ScalarType.Bool);
        long pairs = 0;
        var ballRadii = radii.unsqueeze(0); // (1, N), one radius per column
        for (long start = 0; start < queryCount; start += blockRows)
        {
            using var blockScope = NewDisposeScope();
            long rows = Math.Min(blockRows, queryCount - start);
            var inside = Distances(queries.narrow(0, start, rows), centres) <= ballRadii; // (rows, N)
            queryInside.narrow(0, start, rows).copy_(inside.any(1));
            centreReached.logical_or_(inside.any(0));
            // count_nonzero over the whole block: summing a bool table along a dimension is an order of magnitude slower.
            pairs += inside.count_nonzero().item<long>();
        }
        return new BallMembership(queryInside, centreReached, pairs);
    }

    /// <summary>The (A, B) table of Euclidean distances, computed directly for exact ties.</summary>
    internal static Tensor Distances(Tensor a, Tensor b) =>
        cdist(a, b, compute_mode: TorchSharp.compute_mode.donot_use_mm_for_euclid_dist);
}
