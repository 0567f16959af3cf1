using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Data;

/// <summary>
/// A distribution that picks one of K centers uniformly and adds isotropic Gaussian noise:
/// x = c_k + σ·ε with k ~ U{0, …, K−1} and ε ~ N(0, I).
/// </summary>
/// <remarks>
/// The shared machinery of <see cref="RingOfGaussians"/>, <see cref="GridOfGaussians"/> and
/// <see cref="BimodalGaussian"/>. The centers tensor is created once, kept out of any dispose scope,
/// and lives as long as the mixture.
/// </remarks>
public abstract class UniformGaussianMixture : IDataSource, IGaussianMixture, IDisposable
{
    /// <summary>Stores the centers and the shared standard deviation.</summary>
    /// <param name="centers">Rows of the component means, (K, D) with K ≥ 1, as doubles.</param>
    /// <param name="std">The standard deviation σ of every component; must be finite and &gt; 0.</param>
    protected UniformGaussianMixture(double[,] centers, double std)
    {
        ArgumentNullException.ThrowIfNull(centers);
        if (centers.GetLength(0) < 1 || centers.GetLength(1) < 1)
            throw new ArgumentException($"centers must hold at least one row and one column, got [{centers.GetLength(0)}, {centers.GetLength(1)}]", nameof(centers));
        if (!(double.IsFinite(std) && std > 0))
            throw new ArgumentOutOfRangeException(nameof(std), std, "must be finite and > 0");
        Std = std;
        Centers = tensor(centers, dtype: ScalarType.Float32).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Centers { get; }

    /// <inheritdoc />
    public double Std { get; }

    /// <summary>The number of components K.</summary>
    public int ModeCount => (int)Centers.shape[0];

    /// <inheritdoc />
    public int Dimension => (int)Centers.shape[1];

    /// <inheritdoc />
    public Tensor Sample(long n, Generator rng)
    {
        if (n < 1)
            throw new ArgumentOutOfRangeException(nameof(n), n, "must be ≥ 1");
        ArgumentNullException.ThrowIfNull(rng);
        using var scope = NewDisposeScope();
        var component = randint(0, ModeCount, [n], dtype: ScalarType.Int64, generator: rng);
        var noise = randn([n, Dimension], dtype: ScalarType.Float32, generator: rng);
        return (Centers.index_select(0, component) + noise * Std).MoveToOuterDisposeScope();
    }

    /// <summary>Releases the centers.</summary>
    public void Dispose()
    {
        Centers.Dispose();
        GC.SuppressFinalize(this);
    }
}
