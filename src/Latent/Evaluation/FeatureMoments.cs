using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>The mean μ = Σxᵢ/N and the unbiased covariance Σ = Σ(xᵢ − μ)(xᵢ − μ)ᵀ/(N − 1) of a set of feature rows: what the Fréchet distance compares.</summary>
/// <remarks>
/// Compute them once for the real set and pass them to <see cref="FrechetDistance.FromMoments(FeatureMoments, FeatureMoments)"/>
/// for every batch of fakes, as pytorch-fid caches its statistics. The record owns its two float64 CPU tensors: they
/// belong to the dispose scope that was open when <see cref="Of"/> ran, like any returned tensor, and
/// <see cref="Dispose"/> frees them at once.
/// </remarks>
/// <param name="Mean">μ, (F), float64 on the CPU.</param>
/// <param name="Covariance">Σ, (F, F), float64 on the CPU; dividing by N − 1.</param>
public sealed record FeatureMoments(Tensor Mean, Tensor Covariance) : IDisposable
{
    /// <summary>The moments of a feature matrix, in double precision, in two passes (centred before the product).</summary>
    /// <param name="features">(N, F) with N ≥ 2; any floating type, any device; finite; not modified or disposed.</param>
    public static FeatureMoments Of(Tensor features)
    {
        using var scope = NewDisposeScope();
        var moments = OfChecked(FeatureMatrix.ToFloat64(features, nameof(features), 2, MinimumRowsReason));
        moments.Mean.MoveToOuterDisposeScope();
        moments.Covariance.MoveToOuterDisposeScope();
        return moments;
    }

    /// <summary>Why the moments need two rows, for error messages.</summary>
    internal const string MinimumRowsReason = "the unbiased covariance divides by N − 1";

    /// <summary>The moments of a matrix already checked and read by <see cref="FeatureMatrix.ToFloat64"/>, in the caller's dispose scope.</summary>
    internal static FeatureMoments OfChecked(Tensor x)
    {
        var mean = x.mean([0]);
        // Centring first keeps the products small: the one-pass Σxxᵀ/N − μμᵀ loses digits when |μ| ≫ σ.
        var centred = x - mean;
        var covariance = centred.t().matmul(centred) / (x.shape[0] - 1.0);
        return new FeatureMoments(mean, covariance);
    }

    /// <summary>Frees the two tensors now rather than when their dispose scope ends.</summary>
    public void Dispose()
    {
        Mean.Dispose();
        Covariance.Dispose();
    }
}
