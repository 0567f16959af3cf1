using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>
/// Density and coverage of fakes against reals (Naeem et al. 2020), which build balls around the real points only, so
/// that real outliers count less than in <see cref="PrecisionRecall"/> and fake outliers not at all.
/// </summary>
/// <remarks>
/// With rᵢ the distance from real point xᵢ to its k-th nearest other real point:
/// density = (1/(k·M)) Σⱼ Σᵢ 1[‖yⱼ − xᵢ‖ ≤ rᵢ] over the M fakes yⱼ, and coverage = (1/N) Σᵢ 1[∃ j: ‖yⱼ − xᵢ‖ ≤ rᵢ].
/// A fake on a ball's sphere counts as inside (≤). Density is about 1 for fakes drawn independently from the real
/// distribution; fakes that are copies of the reals score at least (k + 1)/k, since every ball holds its own centre and
/// its k neighbours. Exact Euclidean distances in double precision on the CPU, in blocks of 1,000 rows.
/// </remarks>
public static class DensityCoverage
{
    /// <summary>Measures density and coverage of <paramref name="fake"/> against <paramref name="real"/>.</summary>
    /// <param name="real">(N, F) with N ≥ k + 1; any floating type and device; finite; not modified or disposed.</param>
    /// <param name="fake">(M, F) with M ≥ 1 and the same F.</param>
    /// <param name="k">The neighbour rank of the radii, ≥ 1. Default 5, the paper's choice.</param>
    public static DensityCoverageResult Measure(Tensor real, Tensor fake, int k = 5)
    {
        if (k < 1)
            throw new ArgumentOutOfRangeException(nameof(k), k, "must be ≥ 1");
        using var scope = NewDisposeScope();
        var reals = FeatureMatrix.ToFloat64(real, nameof(real), k + 1L, $"each radius reaches the {k}-th nearest other real point, so N ≥ k + 1");
        var fakes = FeatureMatrix.ToFloat64(fake, nameof(fake), 1);
        FeatureMatrix.RequireSameFeatures(reals, nameof(real), fakes, nameof(fake));

        var radii = NearestNeighbours.KthNeighbourDistances(reals, k);
        var membership = NearestNeighbours.InsideBalls(reals, radii, fakes);
        double density = membership.Pairs / ((double)k * fakes.shape[0]);
        double coverage = membership.CentreReached.count_nonzero().item<long>() / (double)reals.shape[0];
        return new DensityCoverageResult(density, coverage, k);
    }
}
