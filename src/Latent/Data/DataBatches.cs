using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Data;

/// <summary>Endless batches from a data source, moved to the training device: each <see cref="Next"/> is a fresh draw.</summary>
/// <remarks>
/// For a <see cref="FixedDataset"/>, a batch size equal to its <see cref="FixedDataset.Count"/> gives
/// full-batch training (the whole set, reshuffled each time).
/// </remarks>
public sealed class DataBatches : IBatchSource
{
    /// <summary>Binds a source to a batch size, a generator and a device.</summary>
    /// <param name="source">Where examples come from.</param>
    /// <param name="batchSize">Examples per batch; at least 1, and at most the size of a fixed dataset.</param>
    /// <param name="rng">The data stream of the run (<see cref="Runtime.SeededRandom.Data"/>).</param>
    /// <param name="device">The training device; batches are drawn on the CPU and moved there.</param>
    public DataBatches(IDataSource source, int batchSize, Generator rng, Device device)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(device);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "must be ≥ 1");
        if (source is FixedDataset fixedSet && batchSize > fixedSet.Count)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"must be ≤ the {fixedSet.Count} points of the dataset ({source.GetType().Name})");
        Source = source;
        BatchSize = batchSize;
        Rng = rng;
        Device = device;
    }

    /// <summary>Where examples come from.</summary>
    public IDataSource Source { get; }

    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>The generator every draw uses.</summary>
    public Generator Rng { get; }

    /// <summary>The device batches are moved to.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    public Batch Next()
    {
        using var scope = NewDisposeScope();
        return new Batch(Source.Sample(BatchSize, Rng).to(Device).MoveToOuterDisposeScope());
    }
}
