namespace Latent.Data;

/// <summary>
/// Gaussians evenly spaced on a circle: mode i sits at radius·(cos 2πi/K, sin 2πi/K), all with the same σ.
/// </summary>
/// <remarks>
/// The classic mode-collapse benchmark (the `gan8g`, `wgan8g` and `wgangp8g` workloads): with the
/// defaults, 8 modes on a circle of radius 2 with σ = 0.05, so a sample is high quality within
/// 3σ = 0.15 of its nearest mode. Examples are (n, 2).
/// </remarks>
public sealed class RingOfGaussians : UniformGaussianMixture
{
    /// <summary>Places the modes on the ring.</summary>
    /// <param name="modes">The number of modes K; at least 1. Default 8.</param>
    /// <param name="radius">The radius of the circle; finite and &gt; 0. Default 2.</param>
    /// <param name="std">The standard deviation of every mode; finite and &gt; 0. Default 0.05.</param>
    public RingOfGaussians(int modes = 8, double radius = 2, double std = 0.05)
        : base(PlaceOnCircle(modes, radius), std)
    {
        Radius = radius;
    }

    /// <summary>The radius of the circle the modes sit on.</summary>
    public double Radius { get; }

    private static double[,] PlaceOnCircle(int modes, double radius)
    {
        if (modes < 1)
            throw new ArgumentOutOfRangeException(nameof(modes), modes, "must be ≥ 1");
        if (!(double.IsFinite(radius) && radius > 0))
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "must be finite and > 0");
        var centers = new double[modes, 2];
        for (int i = 0; i < modes; i++)
        {
            double angle = 2 * Math.PI * i / modes;
            centers[i, 0] = radius * Math.Cos(angle);
            centers[i, 1] = radius * Math.Sin(angle);
        }
        return centers;
    }
}
