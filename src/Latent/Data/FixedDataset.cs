using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Data;

/// <summary>A fixed set of points, drawn from without replacement: each call returns n distinct rows in a random order.</summary>
/// <remarks>
/// The points are made once, at construction, and kept out of any dispose scope for the dataset's
/// lifetime. Asking for all of them (n = <see cref="Count"/>) gives the whole set shuffled: a full batch.
/// </remarks>
public abstract class FixedDataset : IDataSource, IDisposable
{
    /// <summary>Takes ownership of the points.</summary>
    /// <param name="points">A (count, D) float32 CPU tensor with count ≥ 1 and D ≥ 1.</param>
    protected FixedDataset(Tensor points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.dim() != 2 || points.shape[0] < 1 || points.shape[1] < 1)
            throw new ArgumentException($"points [{string.Join(", ", points.shape)}] must be (count, D) with count ≥ 1 and D ≥ 1", nameof(points));
        if (points.dtype != ScalarType.Float32 || points.device_type != DeviceType.CPU)
            throw new ArgumentException($"points must be float32 on the CPU, got {points.dtype} on {points.device}", nameof(points));
        Points = points.DetachFromDisposeScope();
    }

    /// <summary>All the points, a (<see cref="Count"/>, <see cref="Dimension"/>) float32 CPU tensor owned by the dataset: read it, never dispose it.</summary>
    public Tensor Points { get; }

    /// <summary>The number of points.</summary>
    public long Count => Points.shape[0];

    /// <inheritdoc />
    public int Dimension => (int)Points.shape[1];

    /// <summary>
    /// Draws <paramref name="n"/> distinct points in a random order (a prefix of a random permutation); all of them, in
    /// their stored order and without touching <paramref name="rng"/>, when <paramref name="n"/> is <see cref="Count"/>.
    /// </summary>
    /// <remarks>
    /// A full batch is the same set whatever its order, and every model's loss is a mean over the batch, so shuffling it
    /// would only cost a permutation and a copy each step. The full batch shares the dataset's storage: read it, never write it.
    /// </remarks>
    /// <param name="n">Between 1 and <see cref="Count"/>.</param>
    /// <param name="rng">The generator that shuffles.</param>
    public Tensor Sample(long n, Generator rng)
    {
        if (n < 1 || n > Count)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"must be between 1 and the {Count} points of the dataset");
        ArgumentNullException.ThrowIfNull(rng);
        if (n == Count)
            return Points.alias(); // a handle of its own: disposing the batch leaves the dataset whole
        using var scope = NewDisposeScope();
        var order = randperm(Count, dtype: ScalarType.Int64, generator: rng).narrow(0, 0, n);
        return Points.index_select(0, order).MoveToOuterDisposeScope();
    }

    /// <summary>Releases the points (and whatever else the set holds).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the tensors of the set; overrides release their own and call this.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
            Points.Dispose();
    }
}
