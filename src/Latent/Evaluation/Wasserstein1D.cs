using Latent.Data;
using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>
/// The exact Wasserstein-1 (earth mover's) distance in 1D: W₁(P, Q) = ∫ |F_P(x) − F_Q(x)| dx, the area
/// between the two cumulative distribution functions.
/// </summary>
/// <remarks>
/// No binning and no sampling of the reference: against a normal the integral is taken in closed form,
/// between two samples it is a finite sum. Same units as the samples.
/// </remarks>
public static class Wasserstein1D
{
    /// <summary>W₁ between the empirical distribution of <paramref name="samples"/> and N(μ, σ²), in closed form.</summary>
    /// <param name="samples">At least one finite value.</param>
    /// <param name="mean">The mean μ of the normal; finite.</param>
    /// <param name="std">The standard deviation σ of the normal; finite and &gt; 0.</param>
    /// <remarks>
    /// With z = (x − μ)/σ, W₁ = σ·∫ |F_n(z) − Φ(z)| dz. F_n is constant on each interval between sorted
    /// samples, and ∫Φ = G(z) = zΦ(z) + φ(z), so each interval contributes a difference of G and a
    /// rectangle, split at Φ⁻¹(k/n) where Φ crosses the step. Below the smallest sample the area is
    /// G(z₍₁₎); above the largest it is G(−z₍ₙ₎).
    /// </remarks>
    public static double ToNormal(double[] samples, double mean, double std)
    {
        ColumnValues.RequireFinite(samples, nameof(samples));
        RequireNormal(mean, std);
        var z = samples.Select(x => (x - mean) / std).ToArray();
        Array.Sort(z);
        int n = z.Length;
        double area = IntegralOfCdf(z[0]) + IntegralOfCdf(-z[n - 1]);
        for (int below = 1; below < n; below++)
            area += GapOnInterval(z[below - 1], z[below], below, n);
        return std * area;
    }

    /// <summary>W₁ between one column of samples and N(μ, σ²); see <see cref="ToNormal(double[], double, double)"/>.</summary>
    /// <param name="samples">An (N) or (N, 1) tensor on any device; not modified or disposed.</param>
    /// <param name="mean">The mean μ of the normal; finite.</param>
    /// <param name="std">The standard deviation σ of the normal; finite and &gt; 0.</param>
    public static double ToNormal(Tensor samples, double mean, double std) =>
        ToNormal(ColumnValues.Read(samples, nameof(samples)), mean, std);

    /// <summary>W₁ between the empirical distributions of two samples of any sizes.</summary>
    /// <param name="a">At least one finite value.</param>
    /// <param name="b">At least one finite value.</param>
    /// <remarks>Both CDFs are steps, so the integral is Σ |F_a − F_b|·(width) over the merged sorted values; exact up to rounding.</remarks>
    public static double Between(double[] a, double[] b)
    {
        ColumnValues.RequireFinite(a, nameof(a));
        ColumnValues.RequireFinite(b, nameof(b));
        var left = (double[])a.Clone();
        var right = (double[])b.Clone();
        Array.Sort(left);
        Array.Sort(right);
        long countA = left.Length, countB = right.Length;
        int i = 0, j = 0;
        double previous = Math.Min(left[0], right[0]);
        double area = 0; // in units of 1/(countA·countB), so that every step height is an exact integer
        while (i < left.Length || j < right.Length)
        {
            double next = Math.Min(i < left.Length ? left[i] : double.PositiveInfinity, j < right.Length ? right[j] : double.PositiveInfinity);
            area += Math.Abs(i * countB - j * countA) * (next - previous);
            while (i < left.Length && left[i] == next)
                i++;
            while (j < right.Length && right[j] == next)
                j++;
            previous = next;
        }
        return area / ((double)countA * countB);
    }

    internal static void RequireNormal(double mean, double std)
    {
        if (!double.IsFinite(mean))
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "must be finite");
        if (!(double.IsFinite(std) && std > 0))
            throw new ArgumentOutOfRangeException(nameof(std), std, "must be finite and > 0");
    }

    // G(z) = ∫_{−∞}^{z} Φ(t) dt = zΦ(z) + φ(z).
    private static double IntegralOfCdf(double z) => z * StandardNormal.Cdf(z) + StandardNormal.Density(z);

    // ∫_a^b |k/n − Φ(z)| dz, where k of the n samples lie at or below a.
    private static double GapOnInterval(double a, double b, int below, int n)
    {
        if (b <= a)
            return 0;
        // Reflect intervals that lie mostly above 0 (z → −z, level → 1 − level): G is small and
        // accurate on the negative side, where the upper tail would cancel digits.
        if (a + b > 0)
        {
            (a, b) = (-b, -a);
            below = n - below;
        }
        double level = (double)below / n;
        double crossing = StandardNormal.Quantile(level);

        // ∫_lo^hi (level − Φ): non-negative where Φ stays below the level.
        double AreaUnderLevel(double lo, double hi) => level * (hi - lo) - (IntegralOfCdf(hi) - IntegralOfCdf(lo));

        if (crossing <= a)
            return -AreaUnderLevel(a, b);
        if (crossing >= b)
            return AreaUnderLevel(a, b);
        return AreaUnderLevel(a, crossing) - AreaUnderLevel(crossing, b);
    }
}
