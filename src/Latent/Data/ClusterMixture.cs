using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Data;

/// <summary>
/// Three Gaussian clusters centered at (1, 1), (−1, −1) and (1, −1), with the same number of points each.
/// </summary>
/// <remarks>
/// The data of the `vae2d` workload (seed 000): 100 points per cluster, σ = 0.3. Points are stored
/// cluster by cluster, in the order of <see cref="Centers"/>. As an <see cref="IGaussianMixture"/> it
/// tells mode metrics where the clusters are. Examples are (3·pointsPerCluster, 2).
/// </remarks>
public sealed class ClusterMixture : FixedDataset, IGaussianMixture
{
    private static readonly float[] CenterCoordinates = [1, 1, -1, -1, 1, -1];

    /// <summary>Draws the points once.</summary>
    /// <param name="rng">The generator of the noise.</param>
    /// <param name="pointsPerCluster">Points drawn around each center; at least 1. Default 100.</param>
    /// <param name="std">The standard deviation of each cluster, per coordinate; finite and &gt; 0. Default 0.3.</param>
    public ClusterMixture(Generator rng, int pointsPerCluster = 100, double std = 0.3)
        : base(DrawPoints(rng, pointsPerCluster, std))
    {
        PointsPerCluster = pointsPerCluster;
        Std = std;
        Centers = tensor(CenterCoordinates, [3, 2]).DetachFromDisposeScope();
    }

    /// <summary>The cluster centers, (3, 2) float32, owned by the dataset: read it, never dispose it.</summary>
    public Tensor Centers { get; }

    /// <summary>The standard deviation of each cluster, per coordinate.</summary>
    public double Std { get; }

    /// <summary>Points drawn around each center.</summary>
    public int PointsPerCluster { get; }

    private static Tensor DrawPoints(Generator rng, int pointsPerCluster, double std)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (pointsPerCluster < 1)
            throw new ArgumentOutOfRangeException(nameof(pointsPerCluster), pointsPerCluster, "must be ≥ 1");
        if (!(double.IsFinite(std) && std > 0))
            throw new ArgumentOutOfRangeException(nameof(std), std, "must be finite and > 0");
        using var scope = NewDisposeScope();
        var centers = tensor(CenterCoordinates, [3, 2]);
        var means = centers.repeat_interleave(pointsPerCluster, 0);
        var noise = randn([3L * pointsPerCluster, 2], dtype: ScalarType.Float32, generator: rng) * std;
        return (means + noise).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Centers.Dispose();
        base.Dispose(disposing);
    }
}
