using Latent.Data;
using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>Mode coverage of samples against a Gaussian mixture: modes captured, share of high-quality samples, KL of the mode histogram to uniform.</summary>
/// <remarks>
/// The definitions of the mode-collapse literature (VEEGAN, PacGAN; see bench/WORKLOADS.md): a sample
/// is of high quality when its Euclidean distance to the nearest center is ≤ withinStds·σ; a mode is
/// captured when it is the nearest center of at least one high-quality sample. Scattered samples can
/// "capture" every mode while few are any good, hence the three numbers together.
/// </remarks>
public static class ModeCoverage
{
    /// <summary>Measures coverage against the given centers.</summary>
    /// <param name="samples">(N, D) with N ≥ 1, any floating type, any device; not modified or disposed.</param>
    /// <param name="centers">(K, D) with K ≥ 1, the mode means.</param>
    /// <param name="std">The standard deviation σ of each mode; finite and &gt; 0.</param>
    /// <param name="withinStds">The high-quality radius in units of σ; finite and &gt; 0. Default 3.</param>
    public static ModeCoverageResult Measure(Tensor samples, Tensor centers, double std, double withinStds = 3)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(centers);
        if (samples.dim() != 2 || samples.shape[0] < 1)
            throw new ArgumentException($"samples [{string.Join(", ", samples.shape)}] must be (N, D) with N ≥ 1", nameof(samples));
        if (centers.dim() != 2 || centers.shape[0] < 1)
            throw new ArgumentException($"centers [{string.Join(", ", centers.shape)}] must be (K, D) with K ≥ 1", nameof(centers));
        if (samples.shape[1] != centers.shape[1])
            throw new ArgumentException($"samples [{string.Join(", ", samples.shape)}] and centers [{string.Join(", ", centers.shape)}] must have the same number of columns", nameof(samples));
        if (!(double.IsFinite(std) && std > 0))
            throw new ArgumentOutOfRangeException(nameof(std), std, "must be finite and > 0");
        if (!(double.IsFinite(withinStds) && withinStds > 0))
            throw new ArgumentOutOfRangeException(nameof(withinStds), withinStds, "must be finite and > 0");

        int modeCount = (int)centers.shape[0];
        long sampleCount = samples.shape[0];
        long[] counts;
        using (NewDisposeScope())
        {
            var points = samples.detach().to(ScalarType.Float64).cpu();
            var means = centers.detach().to(ScalarType.Float64).cpu();
            // The direct formula rather than the matrix-product one, whose cancellation could move samples across the threshold.
            var distances = cdist(points, means, compute_mode: TorchSharp.compute_mode.donot_use_mm_for_euclid_dist); // (N, K)
            var (nearestDistance, nearest) = distances.min(1);
            var highQuality = nearestDistance <= withinStds * std;
            counts = bincount(nearest.masked_select(highQuality), minlength: modeCount).data<long>().ToArray();
        }

        long highQualityCount = counts.Sum();
        double modeKl = double.NaN;
        if (highQualityCount > 0)
        {
            // KL(p ‖ 1/K) = Σ p_k·ln(p_k·K), with 0·ln 0 = 0.
            modeKl = 0;
            foreach (long count in counts.Where(count => count > 0))
            {
                double share = (double)count / highQualityCount;
                modeKl += share * Math.Log(share * modeCount);
            }
        }
        return new ModeCoverageResult(
            ModesCovered: counts.Count(count => count > 0),
            ModeCount: modeCount,
            HighQualityShare: (double)highQualityCount / sampleCount,
            ModeKl: modeKl,
            HighQualityHistogram: counts.Select(count => (int)count).ToArray());
    }

    /// <summary>Measures coverage against the modes of a known mixture (its <see cref="IGaussianMixture.Centers"/> and <see cref="IGaussianMixture.Std"/>).</summary>
    /// <param name="samples">(N, D) with N ≥ 1; not modified or disposed.</param>
    /// <param name="mixture">The target distribution, say a <see cref="RingOfGaussians"/>.</param>
    /// <param name="withinStds">The high-quality radius in units of σ; finite and &gt; 0. Default 3.</param>
    public static ModeCoverageResult Measure(Tensor samples, IGaussianMixture mixture, double withinStds = 3)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        return Measure(samples, mixture.Centers, mixture.Std, withinStds);
    }
}
