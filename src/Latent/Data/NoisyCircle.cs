using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Data;

/// <summary>
/// Points on a circle with Gaussian noise: radius·(cos θᵢ, sin θᵢ) + noise·ε, with θᵢ evenly spaced
/// over [0, 2π] end points included (numpy's linspace, so the first and last angles coincide).
/// </summary>
/// <remarks>The data of the `ae2d` workload (seed 000): 200 points, unit radius, noise 0.05. Examples are (count, 2).</remarks>
public sealed class NoisyCircle : FixedDataset
{
    /// <summary>Draws the points once.</summary>
    /// <param name="rng">The generator of the noise.</param>
    /// <param name="count">The number of points; at least 1. Default 200.</param>
    /// <param name="radius">The radius of the circle; finite and &gt; 0. Default 1.</param>
    /// <param name="noise">The standard deviation of the noise on each coordinate; finite and ≥ 0 (0 gives the clean circle). Default 0.05.</param>
    public NoisyCircle(Generator rng, int count = 200, double radius = 1, double noise = 0.05)
        : base(DrawPoints(rng, count, radius, noise))
    {
        Radius = radius;
        Noise = noise;
    }

    /// <summary>The radius of the circle.</summary>
    public double Radius { get; }

    /// <summary>The standard deviation of the noise on each coordinate.</summary>
    public double Noise { get; }

    private static Tensor DrawPoints(Generator rng, int count, double radius, double noise)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "must be ≥ 1");
        if (!(double.IsFinite(radius) && radius > 0))
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "must be finite and > 0");
        if (!(double.IsFinite(noise) && noise >= 0))
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "must be finite and ≥ 0");
        using var scope = NewDisposeScope();
        var angle = linspace(0, 2 * Math.PI, count, dtype: ScalarType.Float64);
        var clean = stack([angle.cos(), angle.sin()], 1) * radius;
        var perturbation = randn([count, 2], dtype: ScalarType.Float32, generator: rng) * noise;
        return (clean.to(ScalarType.Float32) + perturbation).MoveToOuterDisposeScope();
    }
}
