using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>
/// Improved precision and recall of fakes against reals (Kynkäänniemi et al. 2019): each set's manifold is the union of
/// balls around its points, each ball reaching the point's k-th nearest neighbour in its own set.
/// </summary>
/// <remarks>
/// Precision = share of fakes inside the real manifold; recall = share of reals inside the fake manifold (built the same
/// way from the fakes). A point on a ball's sphere counts as inside (distance ≤ radius). Exact Euclidean distances in
/// double precision on the CPU, in blocks of 1,000 rows: time O(N·M·F), memory O(1,000 × max(N, M)). Latent measures it
/// in the feature space of its own classifiers.
/// </remarks>
public static class PrecisionRecall
{
    /// <summary>Measures precision and recall of <paramref name="fake"/> against <paramref name="real"/>.</summary>
    /// <param name="real">(N, F) with N ≥ k + 1; any floating type and device; finite; not modified or disposed.</param>
    /// <param name="fake">(M, F) with M ≥ k + 1 and the same F.</param>
    /// <param name="k">The neighbour rank of the radii, ≥ 1. Default 3, the paper's choice.</param>
    public static PrecisionRecallResult Measure(Tensor real, Tensor fake, int k = 3)
    {
        if (k < 1)
            throw new ArgumentOutOfRangeException(nameof(k), k, "must be ≥ 1");
        using var scope = NewDisposeScope();
        string why = $"each radius reaches the {k}-th nearest other point of the same set, so N ≥ k + 1";
        var reals = FeatureMatrix.ToFloat64(real, nameof(real), k + 1L, why);
        var fakes = FeatureMatrix.ToFloat64(fake, nameof(fake), k + 1L, why);
        FeatureMatrix.RequireSameFeatures(reals, nameof(real), fakes, nameof(fake));

        var realRadii = NearestNeighbours.KthNeighbourDistances(reals, k);
        var fakeRadii = NearestNeighbours.KthNeighbourDistances(fakes, k);
        var fakesInReal = NearestNeighbours.InsideBalls(reals, realRadii, fakes).QueryInside;
        var realsInFake = NearestNeighbours.InsideBalls(fakes, fakeRadii, reals).QueryInside;
        double precision = fakesInReal.count_nonzero().item<long>() / (double)fakes.shape[0];
        double recall = realsInFake.count_nonzero().item<long>() / (double)reals.shape[0];
        return new PrecisionRecallResult(precision, recall, k);
    }
}
