using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>
/// The Fréchet distance between Gaussians fitted to two sets of features, the FID formula:
/// d² = ‖μ₁ − μ₂‖² + Tr(Σ₁) + Tr(Σ₂) − 2·Tr((Σ₁Σ₂)^½).
/// </summary>
/// <remarks>
/// Heusel et al. 2017 (the 2-Wasserstein distance between N(μ₁, Σ₁) and N(μ₂, Σ₂), Dowson and Landau 1982). Latent
/// measures it in the feature space of its own classifiers, so its values are comparable between Latent runs, not with
/// FIDs computed on Inception features. All of it runs in double precision on the CPU.
/// <para>
/// The trace term: Σ₁Σ₂ is not symmetric, and a general matrix square root of it (scipy's <c>sqrtm</c>, which pytorch-fid
/// calls) can return complex parts and lose digits when the product is nearly singular. Because Σ₁Σ₂ = A²Σ₂ with
/// A = Σ₁^½ is similar to the symmetric positive semi-definite A·Σ₂·A, both have the same real, non-negative
/// eigenvalues, so Tr((Σ₁Σ₂)^½) = Σ √λᵢ(A·Σ₂·A). A comes from a symmetric eigendecomposition of Σ₁, and the eigenvalues
/// of A·Σ₂·A from another; eigenvalues made slightly negative by round-off are taken as 0.
/// </para>
/// <para>Round-off can leave a result of about −1e−12 when the two distributions are identical; it is returned as computed.</para>
/// </remarks>
public static class FrechetDistance
{
    /// <summary>The distance between the Gaussians fitted to two feature matrices (their means and unbiased covariances).</summary>
    /// <param name="real">(N, F) with N ≥ 2; any floating type and device; finite; not modified or disposed.</param>
    /// <param name="fake">(M, F) with M ≥ 2 and the same F.</param>
    /// <remarks>Symmetric in its arguments up to round-off. With fewer rows than features the covariances are singular; the value is still defined but biased upwards, as every FID estimate is at small N.</remarks>
    public static double Between(Tensor real, Tensor fake)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        using var scope = NewDisposeScope();
        var realValues = FeatureMatrix.ToFloat64(real, nameof(real), 2, FeatureMoments.MinimumRowsReason);
        var fakeValues = FeatureMatrix.ToFloat64(fake, nameof(fake), 2, FeatureMoments.MinimumRowsReason);
        FeatureMatrix.RequireSameFeatures(realValues, nameof(real), fakeValues, nameof(fake));
        return FromMoments(FeatureMoments.OfChecked(realValues), FeatureMoments.OfChecked(fakeValues));
    }

    /// <summary>The distance between N(μ₁, Σ₁) and N(μ₂, Σ₂) given as moments, say the cached moments of the real set and those of a batch of fakes.</summary>
    /// <param name="first">μ₁ and Σ₁; not modified or disposed.</param>
    /// <param name="second">μ₂ and Σ₂ with the same F.</param>
    public static double FromMoments(FeatureMoments first, FeatureMoments second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return FromMoments(first.Mean, first.Covariance, second.Mean, second.Covariance);
    }

    /// <summary>The distance between N(μ₁, Σ₁) and N(μ₂, Σ₂).</summary>
    /// <param name="mean1">μ₁, (F) with F ≥ 1; any floating type and device; finite; not modified or disposed.</param>
    /// <param name="covariance1">Σ₁, (F, F), symmetric positive semi-definite; its symmetric part (Σ + Σᵀ)/2 is used.</param>
    /// <param name="mean2">μ₂, (F).</param>
    /// <param name="covariance2">Σ₂, (F, F).</param>
    public static double FromMoments(Tensor mean1, Tensor covariance1, Tensor mean2, Tensor covariance2)
    {
        using var scope = NewDisposeScope();
        var m1 = ReadMean(mean1, nameof(mean1));
        var m2 = ReadMean(mean2, nameof(mean2));
        if (m1.shape[0] != m2.shape[0])
            throw new ArgumentException($"mean1 [{FeatureMatrix.Shape(m1)}] and mean2 [{FeatureMatrix.Shape(m2)}] must have the same number of features", nameof(mean2));
        var s1 = ReadCovariance(covariance1, nameof(covariance1), m1, nameof(mean1));
        var s2 = ReadCovariance(covariance2, nameof(covariance2), m2, nameof(mean2));

        var difference = m1 - m2;
        double meanTerm = difference.dot(difference).item<double>();
        double traces = s1.trace().item<double>() + s2.trace().item<double>();
        return meanTerm + traces - 2 * TraceOfProductRoot(s1, s2);
    }

    /// <summary>Tr((Σ₁Σ₂)^½) = Σ √λᵢ(A·Σ₂·A) with A = Σ₁^½; both arguments symmetric float64.</summary>
    private static double TraceOfProductRoot(Tensor s1, Tensor s2)
    {
        var (values, vectors) = linalg.eigh(s1);
        // A = V·diag(√λ)·Vᵀ: scaling column j of V by √λⱼ, then the product with Vᵀ.
        var root = (vectors * values.clamp_min(0).sqrt()).matmul(vectors.t());
        var middle = root.matmul(s2).matmul(root);
        // Symmetric in exact arithmetic; averaging with its transpose removes the round-off that eigvalsh would ignore anyway, explicitly.
        middle = (middle + middle.t()) / 2;
        return linalg.eigvalsh(middle).clamp_min(0).sqrt().sum().item<double>();
    }

    private static Tensor ReadMean(Tensor mean, string paramName)
    {
        ArgumentNullException.ThrowIfNull(mean, paramName);
        if (mean.dim() != 1 || mean.shape[0] < 1)
            throw new ArgumentException($"{paramName} [{FeatureMatrix.Shape(mean)}] must be a mean vector (F) with F ≥ 1", paramName);
        if (!mean.is_floating_point())
            throw new ArgumentException($"{paramName} has dtype {mean.dtype}; expected a floating-point vector", paramName);
        var values = mean.detach().to(ScalarType.Float64).cpu();
        FeatureMatrix.RequireFinite(values, paramName);
        return values;
    }

    private static Tensor ReadCovariance(Tensor covariance, string paramName, Tensor mean, string meanName)
    {
        ArgumentNullException.ThrowIfNull(covariance, paramName);
        long features = mean.shape[0];
        if (covariance.dim() != 2 || covariance.shape[0] != features || covariance.shape[1] != features)
            throw new ArgumentException($"{paramName} [{FeatureMatrix.Shape(covariance)}] must be ({features}, {features}), square with F = {features} from {meanName} [{features}]", paramName);
        if (!covariance.is_floating_point())
            throw new ArgumentException($"{paramName} has dtype {covariance.dtype}; expected a floating-point matrix", paramName);
        var values = covariance.detach().to(ScalarType.Float64).cpu();
        FeatureMatrix.RequireFinite(values, paramName);
        return (values + values.t()) / 2;
    }
}
