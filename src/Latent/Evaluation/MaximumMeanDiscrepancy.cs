using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>The maximum mean discrepancy between two samples, a kernel two-sample distance that is 0 when the distributions are equal.</summary>
public static class MaximumMeanDiscrepancy
{
    /// <summary>
    /// The unbiased estimate of MMD² with the Gaussian kernel k(a, b) = exp(−‖a − b‖²/(2σ²)):
    /// Σ_{i≠j} k(xᵢ, xⱼ)/(m(m−1)) + Σ_{i≠j} k(yᵢ, yⱼ)/(n(n−1)) − 2·Σ_{i,j} k(xᵢ, yⱼ)/(mn).
    /// </summary>
    /// <param name="x">(m, D) with m ≥ 2; any floating type and device; not modified or disposed.</param>
    /// <param name="y">(n, D) with n ≥ 2.</param>
    /// <param name="bandwidth">The kernel width σ, finite and &gt; 0; null (default) takes the median heuristic: the median distance over all pairs of the pooled sample (the mean of the two middle values for an even count of pairs), over an evenly strided subset of 1,000 points when the pooled sample is larger.</param>
    /// <remarks>
    /// Gretton et al. 2012, Lemma 6. Unbiased, so it can be slightly negative when the distributions
    /// agree. Memory and time are O((m + n)²): meant for a few thousand points.
    /// </remarks>
    public static double GaussianKernel(Tensor x, Tensor y, double? bandwidth = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.dim() != 2 || x.shape[0] < 2)
            throw new ArgumentException($"x [{string.Join(", ", x.shape)}] must be (m, D) with m ≥ 2", nameof(x));
        if (y.dim() != 2 || y.shape[0] < 2)
            throw new ArgumentException($"y [{string.Join(", ", y.shape)}] must be (n, D) with n ≥ 2", nameof(y));
        if (x.shape[1] != y.shape[1])
            throw new ArgumentException($"x [{string.Join(", ", x.shape)}] and y [{string.Join(", ", y.shape)}] must have the same number of columns", nameof(y));
        if (bandwidth is double given && !(double.IsFinite(given) && given > 0))
            throw new ArgumentOutOfRangeException(nameof(bandwidth), given, "must be finite and > 0, or null for the median heuristic");

        using var scope = NewDisposeScope();
        var first = x.detach().to(ScalarType.Float64).cpu();
        var second = y.detach().to(ScalarType.Float64).cpu();
        var pooled = cat([first, second], 0);
        var distances = cdist(pooled, pooled, compute_mode: TorchSharp.compute_mode.donot_use_mm_for_euclid_dist);
        double sigma = bandwidth ?? MedianPairDistance(distances);

        var kernel = (distances.square() / (-2 * sigma * sigma)).exp();
        long m = first.shape[0], n = second.shape[0];
        var withinX = kernel.narrow(0, 0, m).narrow(1, 0, m);
        var withinY = kernel.narrow(0, m, n).narrow(1, m, n);
        var across = kernel.narrow(0, 0, m).narrow(1, m, n);
        // Off-diagonal sums: the diagonal holds k(a, a) = 1 exactly.
        double sumX = withinX.sum().item<double>() - withinX.trace().item<double>();
        double sumY = withinY.sum().item<double>() - withinY.trace().item<double>();
        double sumAcross = across.sum().item<double>();
        return sumX / (m * (m - 1.0)) + sumY / (n * (n - 1.0)) - 2 * sumAcross / ((double)m * n);
    }

    /// <summary>Points the median heuristic looks at, at most: its cost grows with their square.</summary>
    internal const long MedianPoints = 1000;

    private static double MedianPairDistance(Tensor distances)
    {
        long count = distances.shape[0];
        if (count > MedianPoints)
        {
            // An evenly strided subset of the pooled points: the median of ~500k pairs is as good a bandwidth as that of
            // 12M, without sorting a 5000x5000 table (seconds and a gigabyte for the 2,500-sample mode metrics).
            var subset = arange(0, count, (count + MedianPoints - 1) / MedianPoints);
            distances = distances.index_select(0, subset).index_select(1, subset);
            count = distances.shape[0];
        }
        var pairs = triu_indices(count, count, offset: 1);
        var values = distances.index([pairs[0], pairs[1]]);
        long pairCount = values.shape[0];
        // kthvalue is 1-based.
        double median = pairCount % 2 == 1
            ? values.kthvalue(pairCount / 2 + 1, 0).Item1.item<double>()
            : 0.5 * (values.kthvalue(pairCount / 2, 0).Item1.item<double>() + values.kthvalue(pairCount / 2 + 1, 0).Item1.item<double>());
        if (!(median > 0))
            throw new ArgumentException("the median distance between pooled points is 0 (most points coincide); pass an explicit bandwidth", "bandwidth");
        return median;
    }
}
