using Latent.Data;
using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>The Kolmogorov-Smirnov statistic: D = sup_x |F_P(x) − F_Q(x)|, the largest gap between two CDFs, in [0, 1].</summary>
/// <remarks>Exact: the supremum of a step function against a continuous CDF is reached at a step, on one side or the other.</remarks>
public static class KolmogorovSmirnov
{
    /// <summary>D between the empirical distribution of <paramref name="samples"/> and N(μ, σ²).</summary>
    /// <param name="samples">At least one finite value.</param>
    /// <param name="mean">The mean μ of the normal; finite.</param>
    /// <param name="std">The standard deviation σ of the normal; finite and &gt; 0.</param>
    /// <remarks>At the i-th sorted sample (1-based), F_n jumps from (i − 1)/n to i/n: both sides are checked against Φ. Ties are covered because the widest gaps of a tied group are at its first and last member.</remarks>
    public static double ToNormal(double[] samples, double mean, double std)
    {
        ColumnValues.RequireFinite(samples, nameof(samples));
        Wasserstein1D.RequireNormal(mean, std);
        var z = samples.Select(x => (x - mean) / std).ToArray();
        Array.Sort(z);
        int n = z.Length;
        double largest = 0;
        for (int i = 0; i < n; i++)
        {
            double cdf = StandardNormal.Cdf(z[i]);
            largest = Math.Max(largest, Math.Max((i + 1.0) / n - cdf, cdf - (double)i / n));
        }
        return largest;
    }

    /// <summary>D between one column of samples and N(μ, σ²); see <see cref="ToNormal(double[], double, double)"/>.</summary>
    /// <param name="samples">An (N) or (N, 1) tensor on any device; not modified or disposed.</param>
    /// <param name="mean">The mean μ of the normal; finite.</param>
    /// <param name="std">The standard deviation σ of the normal; finite and &gt; 0.</param>
    public static double ToNormal(Tensor samples, double mean, double std) =>
        ToNormal(ColumnValues.Read(samples, nameof(samples)), mean, std);

    /// <summary>D between the empirical distributions of two samples of any sizes (the two-sample statistic).</summary>
    /// <param name="a">At least one finite value.</param>
    /// <param name="b">At least one finite value.</param>
    /// <remarks>Both CDFs are right-continuous steps, so the gap is evaluated once all values equal to each distinct point are counted.</remarks>
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
        long largest = 0; // in units of 1/(countA·countB)
        while (i < left.Length || j < right.Length)
        {
            double next = Math.Min(i < left.Length ? left[i] : double.PositiveInfinity, j < right.Length ? right[j] : double.PositiveInfinity);
            while (i < left.Length && left[i] == next)
                i++;
            while (j < right.Length && right[j] == next)
                j++;
            largest = Math.Max(largest, Math.Abs(i * countB - j * countA));
        }
        return largest / ((double)countA * countB);
    }
}
