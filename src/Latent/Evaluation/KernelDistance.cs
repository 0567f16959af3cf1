using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>
/// The kernel inception distance (KID): the unbiased estimate of MMD² between two sets of features with the cubic
/// polynomial kernel k(x, y) = (x·y/F + 1)³, averaged over random subsets.
/// </summary>
/// <remarks>
/// Bińkowski et al. 2018, "Demystifying MMD GANs", §4: unlike the FID, the estimate is unbiased, so values from sets of
/// different sizes can be compared, and it is near 0 (possibly slightly negative) when both sets come from one
/// distribution. Latent measures it in the feature space of its own classifiers, not Inception's. Double precision on the
/// CPU; the kernel tables are summed in blocks of rows, so memory stays O(block × N) for any set size.
/// </remarks>
public static class KernelDistance
{
    /// <summary>
    /// One unbiased estimate of MMD² over all rows:
    /// Σ_{i≠j} k(xᵢ, xⱼ)/(m(m−1)) + Σ_{i≠j} k(yᵢ, yⱼ)/(n(n−1)) − 2·Σ_{i,j} k(xᵢ, yⱼ)/(mn), with k(x, y) = (x·y/F + 1)³.
    /// </summary>
    /// <param name="x">(m, F) with m ≥ 2; any floating type and device; finite; not modified or disposed.</param>
    /// <param name="y">(n, F) with n ≥ 2 and the same F.</param>
    /// <remarks>What bench/features/feature_metrics.py prints as "kid". Time O((m + n)²·F).</remarks>
    public static double Unbiased(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var first = FeatureMatrix.ToFloat64(x, nameof(x), 2, MinimumRowsReason);
        var second = FeatureMatrix.ToFloat64(y, nameof(y), 2, MinimumRowsReason);
        FeatureMatrix.RequireSameFeatures(first, nameof(x), second, nameof(y));
        return Estimate(first, second);
    }

    /// <summary>The KID: the mean of <see cref="Unbiased"/> over <paramref name="subsets"/> pairs of random subsets, one drawn from each set.</summary>
    /// <param name="real">(N, F) with N ≥ 2; any floating type and device; finite; not modified or disposed.</param>
    /// <param name="fake">(M, F) with M ≥ 2 and the same F.</param>
    /// <param name="rng">A CPU generator; each subset draws a permutation of the real rows, then one of the fake rows, and keeps the first rows of each, so the same seed gives the same result.</param>
    /// <param name="subsets">Subset pairs to average, ≥ 2. Default 100, as in Bińkowski et al.'s code.</param>
    /// <param name="subsetSize">Rows per subset, without replacement, ≥ 2; when a set has fewer rows, min(N, M) is used and the result says so (<see cref="KernelDistanceResult.SubsetSizeReduced"/>). Default 1,000.</param>
    public static KernelDistanceResult Measure(Tensor real, Tensor fake, Generator rng, int subsets = 100, int subsetSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (subsets < 2)
            throw new ArgumentOutOfRangeException(nameof(subsets), subsets, "must be ≥ 2: the standard deviation over subsets needs two estimates");
        if (subsetSize < 2)
            throw new ArgumentOutOfRangeException(nameof(subsetSize), subsetSize, "must be ≥ 2: the unbiased estimate leaves out each row's pair with itself");

        using var scope = NewDisposeScope();
        var realValues = FeatureMatrix.ToFloat64(real, nameof(real), 2, MinimumRowsReason);
        var fakeValues = FeatureMatrix.ToFloat64(fake, nameof(fake), 2, MinimumRowsReason);
        FeatureMatrix.RequireSameFeatures(realValues, nameof(real), fakeValues, nameof(fake));
        long realCount = realValues.shape[0], fakeCount = fakeValues.shape[0];
        int size = (int)Math.Min(subsetSize, Math.Min(realCount, fakeCount));

        var estimates = new double[subsets];
        for (int subset = 0; subset < subsets; subset++)
        {
            // One scope per subset: a hundred subsets of gathered rows and kernel blocks would otherwise wait for the end.
            using var subsetScope = NewDisposeScope();
            var realRows = randperm(realCount, generator: rng).narrow(0, 0, size);
            var fakeRows = randperm(fakeCount, generator: rng).narrow(0, 0, size);
            estimates[subset] = Estimate(realValues.index_select(0, realRows), fakeValues.index_select(0, fakeRows));
        }

        double mean = estimates.Average();
        double squares = estimates.Sum(estimate => (estimate - mean) * (estimate - mean));
        double standardDeviation = Math.Sqrt(squares / (subsets - 1));
        return new KernelDistanceResult(mean, standardDeviation, standardDeviation / Math.Sqrt(subsets), subsets, size, subsetSize);
    }

    private const string MinimumRowsReason = "the unbiased estimate averages over pairs of distinct rows";

    /// <summary>The unbiased MMD² of two checked float64 matrices with the same F.</summary>
    private static double Estimate(Tensor x, Tensor y)
    {
        double m = x.shape[0], n = y.shape[0];
        return KernelSum(x, x, skipSelfPairs: true) / (m * (m - 1))
             + KernelSum(y, y, skipSelfPairs: true) / (n * (n - 1))
             - 2 * KernelSum(x, y, skipSelfPairs: false) / (m * n);
    }

    /// <summary>Σ k(aᵢ, bⱼ) over all pairs, or over i ≠ j when a and b are the same set, a block of rows of a at a time.</summary>
    private static double KernelSum(Tensor a, Tensor b, bool skipSelfPairs)
    {
        double features = a.shape[1];
        long rows = a.shape[0];
        double sum = 0;
        for (long start = 0; start < rows; start += FeatureMatrix.BlockRows)
        {
            using var blockScope = NewDisposeScope();
            var block = a.narrow(0, start, Math.Min(FeatureMatrix.BlockRows, rows - start));
            // In place on the product: one table per block rather than four (allocating them costs more than the arithmetic).
            var kernel = block.matmul(b.t()).div_(features).add_(1).pow_(3);
            // Row r of this block is row start + r of the set: its pair with itself sits on the diagonal at offset start.
            if (skipSelfPairs)
                kernel.diagonal(start).zero_();
            sum += kernel.sum().item<double>();
        }
        return sum;
    }
}
