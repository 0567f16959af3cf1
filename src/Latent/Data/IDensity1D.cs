namespace Latent.Data;

/// <summary>A one-dimensional distribution with a known density and cumulative distribution function.</summary>
/// <remarks>Plots draw the target's density over a histogram of samples; 1D metrics compare samples against the CDF.</remarks>
public interface IDensity1D
{
    /// <summary>The probability density p(x).</summary>
    double Density(double x);

    /// <summary>The cumulative distribution F(x) = P(X ≤ x), in [0, 1].</summary>
    double Cdf(double x);
}
