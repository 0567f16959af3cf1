using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>The exact-reconstruction rate of binary patterns: the share of rows whose thresholded reconstruction equals the pattern in every value.</summary>
public static class ExactMatch
{
    /// <summary>Thresholds each reconstruction (value &gt; threshold → 1, else 0) and counts the rows equal to their pattern.</summary>
    /// <param name="patterns">(N, D) with N ≥ 1, every value 0 or 1 (the 3x3 patterns are (10, 9)); not modified or disposed.</param>
    /// <param name="reconstructions">(N, D), the model's outputs (probabilities or raw values).</param>
    /// <param name="threshold">The cut between 0 and 1. Default 0.5.</param>
    /// <returns>A rate in [0, 1]: the quality figure of the `ae3x3` workload.</returns>
    public static double Rate(Tensor patterns, Tensor reconstructions, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(reconstructions);
        if (patterns.dim() != 2 || patterns.shape[0] < 1)
            throw new ArgumentException($"patterns [{string.Join(", ", patterns.shape)}] must be (N, D) with N ≥ 1", nameof(patterns));
        if (!patterns.shape.SequenceEqual(reconstructions.shape))
            throw new ArgumentException($"patterns [{string.Join(", ", patterns.shape)}] and reconstructions [{string.Join(", ", reconstructions.shape)}] must have the same shape", nameof(reconstructions));
        if (!double.IsFinite(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "must be finite");

        using var scope = NewDisposeScope();
        var target = patterns.detach().to(ScalarType.Float64).cpu();
        if ((target.ne(0) & target.ne(1)).any().item<bool>())
            throw new ArgumentException("patterns must hold only 0 and 1", nameof(patterns));
        var decided = reconstructions.detach().to(ScalarType.Float64).cpu().gt(threshold);
        var rowMatches = decided.eq(target.eq(1)).all(1);
        return rowMatches.to(ScalarType.Float64).mean().item<double>();
    }
}
