using Latent.Evaluation;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class FrechetDistanceTests
{
    [Fact]
    public void DiagonalCovariancesGiveMeanGapPlusSquaredStdGaps()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        double[] std1 = [1, 2, 0.5, 3], std2 = [2, 0.5, 0.5, 1];
        var mean1 = tensor(new double[] { 0, 1, -2, 0.5 });
        var mean2 = tensor(new double[] { 1, 1, 0, -0.5 });
        var covariance1 = diag(tensor(std1.Select(s => s * s).ToArray()));
        var covariance2 = diag(tensor(std2.Select(s => s * s).ToArray()));

        // Diagonal covariances commute: Tr((Σ₁Σ₂)^½) = Σ σ₁σ₂, so d² = ‖μ₁ − μ₂‖² + Σ(σ₁ − σ₂)² = 6 + 7.25.
        double expected = 1 + 0 + 4 + 1 + std1.Zip(std2, (a, b) => (a - b) * (a - b)).Sum();
        Assert.Equal(13.25, expected);
        RelativeAssert.Close(expected, FrechetDistance.FromMoments(mean1, covariance1, mean2, covariance2), 1e-10);
    }

    [Fact]
    public void TwoByTwoNonCommutingCovariancesMatchTheClosedForm()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var covariance1 = tensor(new double[] { 2, 1, 1, 2 }, [2, 2]);
        var covariance2 = tensor(new double[] { 1, 0, 0, 4 }, [2, 2]);
        // Σ₁Σ₂ = [[2, 4], [1, 8]] differs from Σ₂Σ₁ = [[2, 1], [4, 8]]. A 2×2 matrix with eigenvalues λ₁, λ₂ ≥ 0 has
        // (√λ₁ + √λ₂)² = Tr + 2√det, so Tr((Σ₁Σ₂)^½) = √(10 + 2√12); ‖μ₁ − μ₂‖² = 2, Tr Σ₁ + Tr Σ₂ = 4 + 5.
        double expected = 2 + 4 + 5 - 2 * Math.Sqrt(10 + 2 * Math.Sqrt(12));

        double actual = FrechetDistance.FromMoments(zeros(2, dtype: ScalarType.Float64), covariance1, ones(2, dtype: ScalarType.Float64), covariance2);

        RelativeAssert.Close(expected, actual, 1e-12);
    }

    [Fact]
    public void FullCovariancesMatchTheEigenvaluesOfTheNonSymmetricProduct()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(41);
        var b = randn(5, 5, dtype: ScalarType.Float64, generator: rng);
        var c = randn(5, 5, dtype: ScalarType.Float64, generator: rng);
        var covariance1 = b.matmul(b.t()) + 0.1 * eye(5, dtype: ScalarType.Float64);
        var covariance2 = c.matmul(c.t()) + 0.1 * eye(5, dtype: ScalarType.Float64);
        var mean1 = randn(5, dtype: ScalarType.Float64, generator: rng);
        var mean2 = randn(5, dtype: ScalarType.Float64, generator: rng);
        Assert.False(covariance1.matmul(covariance2).allclose(covariance2.matmul(covariance1)), "the pair must not commute");

        // The other route: the general (non-symmetric) eigenvalues of Σ₁Σ₂, which are real and positive.
        var eigenvalues = linalg.eigvals(covariance1.matmul(covariance2));
        var realParts = eigenvalues.real;
        Assert.True(eigenvalues.imag.abs().max().item<double>() < 1e-9 * realParts.abs().max().item<double>());
        Assert.True(realParts.min().item<double>() > 0);
        double traceOfRoot = realParts.sqrt().sum().item<double>();
        var difference = mean1 - mean2;
        double expected = difference.dot(difference).item<double>() + covariance1.trace().item<double>() + covariance2.trace().item<double>() - 2 * traceOfRoot;

        RelativeAssert.Close(expected, FrechetDistance.FromMoments(mean1, covariance1, mean2, covariance2), 1e-10);
    }

    [Fact]
    public void SamplesWithExactlyChosenMomentsGiveTheDistanceOfTheirGaussians()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(42);
        var mean1 = tensor(new double[] { 0.5, -1 });
        var mean2 = tensor(new double[] { -0.5, 2 });
        var covariance1 = tensor(new double[] { 2, 0.6, 0.6, 1 }, [2, 2]);
        var covariance2 = tensor(new double[] { 0.5, -0.3, -0.3, 3 }, [2, 2]);
        var real = WithMoments(randn(1_000, 2, dtype: ScalarType.Float64, generator: rng), mean1, covariance1);
        var fake = WithMoments(randn(700, 2, dtype: ScalarType.Float64, generator: rng), mean2, covariance2);

        // The closed form of the 2×2 case: Tr((Σ₁Σ₂)^½) = √(Tr(Σ₁Σ₂) + 2√(det Σ₁·det Σ₂)).
        // Tr(Σ₁Σ₂) = 2·0.5 + 0.6·(−0.3) + 0.6·(−0.3) + 1·3 = 3.64; det Σ₁ = 1.64, det Σ₂ = 1.41; ‖μ₁ − μ₂‖² = 1 + 9.
        double expected = 10 + 3 + 3.5 - 2 * Math.Sqrt(3.64 + 2 * Math.Sqrt(1.64 * 1.41));

        RelativeAssert.Close(expected, FrechetDistance.Between(real, fake), 1e-9);
    }

    [Fact]
    public void IdenticalSetsGiveZero()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(43);
        var x = randn(300, 8, generator: rng) * 3 + 1;

        Assert.InRange(FrechetDistance.Between(x, x), -1e-9, 1e-9);
        Assert.InRange(FrechetDistance.Between(x, x.clone()), -1e-9, 1e-9);
    }

    [Fact]
    public void BetweenIsSymmetric()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(44);
        var a = randn(400, 6, dtype: ScalarType.Float64, generator: rng);
        var b = randn(300, 6, dtype: ScalarType.Float64, generator: rng).matmul(randn(6, 6, dtype: ScalarType.Float64, generator: rng)) + 0.5;

        double forward = FrechetDistance.Between(a, b);

        Assert.InRange(forward, 1, 1e3);
        RelativeAssert.Close(forward, FrechetDistance.Between(b, a), 1e-10);
    }

    [Fact]
    public void Float32FeaturesAreMeasuredInDoublePrecision()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(45);
        var a = randn(200, 4, generator: rng);
        var b = randn(200, 4, generator: rng) * 2;

        // float32 → float64 is exact, so the two calls see the same numbers.
        Assert.Equal(FrechetDistance.Between(a.to(ScalarType.Float64), b.to(ScalarType.Float64)), FrechetDistance.Between(a, b));
    }

    [Fact]
    public void MomentsAreTheMeanAndTheUnbiasedCovariance()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var features = tensor(new float[] { 1, 2, 3, 6, 5, 4 }, [3, 2]);

        using var moments = FeatureMoments.Of(features);

        // Mean (3, 4); deviations (−2, −2), (0, 2), (2, 0); sums of products 8, 4, 8 over N − 1 = 2.
        Assert.Equal([3.0, 4.0], moments.Mean.data<double>().ToArray());
        Assert.Equal([4.0, 2.0, 2.0, 4.0], moments.Covariance.data<double>().ToArray());
        Assert.Equal(ScalarType.Float64, moments.Covariance.dtype);
        Assert.InRange(FrechetDistance.FromMoments(moments, moments), -1e-12, 1e-12);
    }

    [Fact]
    public void CachedMomentsGiveTheSameDistanceAsBetween()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(46);
        var real = randn(500, 5, dtype: ScalarType.Float64, generator: rng);
        var fake = randn(400, 5, dtype: ScalarType.Float64, generator: rng) * 1.5;

        using var realMoments = FeatureMoments.Of(real);
        using var fakeMoments = FeatureMoments.Of(fake);

        Assert.Equal(FrechetDistance.Between(real, fake), FrechetDistance.FromMoments(realMoments, fakeMoments));
    }

    [Fact]
    public void BadShapesAreRefusedNamingWhatWasReceived()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var columns = Assert.Throws<ArgumentException>(() => FrechetDistance.Between(zeros(10, 3), zeros(10, 4)));
        Assert.Contains("real [10, 3] and fake [10, 4] must have the same number of features", columns.Message);

        var rows = Assert.Throws<ArgumentException>(() => FrechetDistance.Between(zeros(10, 3), zeros(1, 3)));
        Assert.Contains("fake [1, 3] has 1 rows; expected at least 2", rows.Message);

        var vector = Assert.Throws<ArgumentException>(() => FrechetDistance.Between(zeros(10), zeros(10, 1)));
        Assert.Contains("real [10] must be a feature matrix (N, F)", vector.Message);

        var covariance = Assert.Throws<ArgumentException>(() => FrechetDistance.FromMoments(zeros(3), eye(3), zeros(3), eye(4)));
        Assert.Contains("covariance2 [4, 4] must be (3, 3)", covariance.Message);

        var means = Assert.Throws<ArgumentException>(() => FrechetDistance.FromMoments(zeros(3), eye(3), zeros(2), eye(2)));
        Assert.Contains("mean1 [3] and mean2 [2]", means.Message);

        var integers = Assert.Throws<ArgumentException>(() => FrechetDistance.Between(zeros(10, 3, dtype: ScalarType.Int64), zeros(10, 3)));
        Assert.Contains("expected a floating-point feature matrix", integers.Message);

        var notFinite = Assert.Throws<ArgumentException>(() => FrechetDistance.Between(zeros(10, 3), full(10, 3, double.NaN)));
        Assert.Contains("fake holds 30 non-finite values", notFinite.Message);
    }

    [Fact]
    public void BetweenLeavesNoTensorBehindAndKeepsItsInputs()
    {
        LatentRuntime.EnsureLoaded();
        using var rng = new Generator(47);
        using var real = randn(100, 4, dtype: ScalarType.Float64, generator: rng);
        using var fake = randn(100, 4, generator: rng);
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        FrechetDistance.Between(real, fake);

        Assert.Equal(liveBefore, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.False(real.IsInvalid);
        Assert.False(fake.IsInvalid);
    }

    /// <summary>
    /// <paramref name="noise"/> made to have exactly mean μ and unbiased covariance Σ: centred, whitened with the Cholesky factor L
    /// of its own covariance C (cov(z·L⁻ᵀ) = L⁻¹CL⁻ᵀ = I), then coloured with the Cholesky factor of Σ and shifted.
    /// </summary>
    private static Tensor WithMoments(Tensor noise, Tensor mean, Tensor covariance)
    {
        var centred = noise - noise.mean([0]);
        var own = linalg.cholesky(centred.t().matmul(centred) / (noise.shape[0] - 1.0));
        var white = linalg.solve_triangular(own, centred.t(), upper: false).t();
        return white.matmul(linalg.cholesky(covariance).t()) + mean;
    }
}
