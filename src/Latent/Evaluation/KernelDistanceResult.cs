namespace Latent.Evaluation;

/// <summary>The kernel inception distance of <see cref="KernelDistance.Measure"/>: the mean of unbiased MMD² estimates over random subsets, with their spread.</summary>
/// <param name="Mean">The KID, the mean MMD² over the subsets; near 0 (possibly slightly negative) when the two sets come from one distribution.</param>
/// <param name="StandardDeviation">The sample standard deviation of the per-subset estimates (dividing by <paramref name="Subsets"/> − 1).</param>
/// <param name="StandardError">The standard error of <paramref name="Mean"/>, <paramref name="StandardDeviation"/>/√<paramref name="Subsets"/>.</param>
/// <param name="Subsets">How many subset pairs were drawn.</param>
/// <param name="SubsetSize">The rows drawn from each set per subset: the requested size, or min(N_real, N_fake) when a set has fewer rows.</param>
/// <param name="RequestedSubsetSize">The size that was asked for.</param>
public sealed record KernelDistanceResult(double Mean, double StandardDeviation, double StandardError, int Subsets, int SubsetSize, int RequestedSubsetSize)
{
    /// <summary>True when a set had fewer rows than <see cref="RequestedSubsetSize"/>, so the subsets are smaller (and estimates of different runs are less comparable).</summary>
    public bool SubsetSizeReduced => SubsetSize < RequestedSubsetSize;
}
