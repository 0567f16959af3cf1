namespace Latent.Data;

/// <summary>
/// An equal mixture of two 1D Gaussians at −offset and +offset:
/// p(x) = ½·N(x; −offset, σ²) + ½·N(x; offset, σ²).
/// </summary>
/// <remarks>
/// The target of the tutorials' bimodal GAN (seed 002: modes at ±2, σ = 0.3), where a generator that
/// collapses onto one mode is easy to see. Examples are (n, 1). Mode 0 is −offset, mode 1 is +offset.
/// </remarks>
public sealed class BimodalGaussian : UniformGaussianMixture, IDensity1D
{
    /// <summary>Places the two modes.</summary>
    /// <param name="offset">The distance of each mode from 0, so the modes are 2·offset apart; finite and &gt; 0. Default 2.</param>
    /// <param name="std">The standard deviation of each mode; finite and &gt; 0. Default 0.3 (seed 002).</param>
    public BimodalGaussian(double offset = 2, double std = 0.3)
        : base(PlaceModes(offset), std)
    {
        Offset = offset;
    }

    /// <summary>The distance of each mode from 0.</summary>
    public double Offset { get; }

    /// <inheritdoc />
    public double Density(double x) =>
        0.5 * (StandardNormal.Density((x - Offset) / Std) + StandardNormal.Density((x + Offset) / Std)) / Std;

    /// <inheritdoc />
    public double Cdf(double x) =>
        0.5 * (StandardNormal.Cdf((x - Offset) / Std) + StandardNormal.Cdf((x + Offset) / Std));

    private static double[,] PlaceModes(double offset)
    {
        if (!(double.IsFinite(offset) && offset > 0))
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "must be finite and > 0");
        return new double[,] { { -offset }, { offset } };
    }
}
