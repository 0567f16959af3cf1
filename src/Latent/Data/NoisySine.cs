using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Data;

/// <summary>
/// Points of the curve (t/(4π), sin t) for t evenly spaced over [0, 4π] (end points included), plus
/// Gaussian noise on both coordinates.
/// </summary>
/// <remarks>
/// The data of the `dae2d` workload (seed 000): 300 points, noise 0.3. <see cref="FixedDataset.Points"/>
/// holds one noisy draw; <see cref="CleanPoints"/> the curve itself, the target a denoiser is measured
/// against. Examples are (count, 2).
/// </remarks>
public sealed class NoisySine : FixedDataset
{
    /// <summary>Draws the points once.</summary>
    /// <param name="rng">The generator of the noise.</param>
    /// <param name="count">The number of points; at least 1. Default 300.</param>
    /// <param name="noise">The standard deviation of the noise on each coordinate; finite and ≥ 0 (0 gives the clean curve). Default 0.3.</param>
    public NoisySine(Generator rng, int count = 300, double noise = 0.3)
        : this(TraceCurve(count), rng, noise)
    {
    }

    private NoisySine(Tensor clean, Generator rng, double noise)
        : base(AddNoise(clean, rng, noise))
    {
        CleanPoints = clean;
        Noise = noise;
    }

    /// <summary>The points of the curve without noise, (count, 2) float32, owned by the dataset: read it, never dispose it.</summary>
    public Tensor CleanPoints { get; }

    /// <summary>The standard deviation of the noise on each coordinate.</summary>
    public double Noise { get; }

    private static Tensor TraceCurve(int count)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "must be ≥ 1");
        using var scope = NewDisposeScope();
        var t = linspace(0, 4 * Math.PI, count, dtype: ScalarType.Float64);
        var curve = stack([t / (4 * Math.PI), t.sin()], 1).to(ScalarType.Float32);
        // Owned by the dataset for its whole life, so kept out of every scope.
        return curve.DetachFromDisposeScope();
    }

    private static Tensor AddNoise(Tensor clean, Generator rng, double noise)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(double.IsFinite(noise) && noise >= 0))
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "must be finite and ≥ 0");
        using var scope = NewDisposeScope();
        var perturbation = randn(clean.shape, dtype: ScalarType.Float32, generator: rng) * noise;
        return (clean + perturbation).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            CleanPoints.Dispose();
        base.Dispose(disposing);
    }
}
