using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Data.Images;

/// <summary>
/// Mini-batches of labelled images in epochs: each epoch visits every image once in a new seeded order, as a
/// shuffling DataLoader does; the last, shorter batch of an epoch is kept.
/// </summary>
/// <remarks>
/// A last batch of a single image is dropped instead, because batch normalization cannot train on one example.
/// The order depends only on the generator, so the same seed gives the same batches.
/// </remarks>
public sealed class ImageBatches : IBatchSource, IResumable, IDisposable
{
    private readonly ImageDataset _images;
    private readonly ImagePreprocessing _preprocessing;
    private readonly Generator _rng;
    private Tensor? _order;
    private long _cursor;

    /// <summary>Binds a data set to a batch size, a generator and a device.</summary>
    /// <param name="images">The images; they stay on the CPU, batches are moved to <paramref name="device"/>.</param>
    /// <param name="preprocessing">How pixels become model inputs.</param>
    /// <param name="batchSize">1 to the number of images.</param>
    /// <param name="rng">The data stream of the run.</param>
    /// <param name="device">The training device.</param>
    public ImageBatches(ImageDataset images, ImagePreprocessing preprocessing, int batchSize, Generator rng, Device device)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(preprocessing);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(device);
        if (batchSize < 1 || batchSize > images.Count)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"expected 1 to the {images.Count} images of {images.Name}");
        _images = images;
        _preprocessing = preprocessing;
        _rng = rng;
        BatchSize = batchSize;
        Device = device;
    }

    /// <summary>Images per batch (the last of an epoch may hold fewer).</summary>
    public int BatchSize { get; }

    /// <summary>The device batches are moved to.</summary>
    public Device Device { get; }

    /// <summary>Batches per pass over the data: ⌈N / batch size⌉, less one when the last would hold a single image.</summary>
    public long BatchesPerEpoch => BatchesPerEpochOf(_images.Count, BatchSize);

    /// <summary>Completed passes over the data.</summary>
    public long Epoch { get; private set; }

    /// <summary>Batches per epoch for <paramref name="count"/> images in batches of <paramref name="batchSize"/>.</summary>
    public static long BatchesPerEpochOf(long count, int batchSize)
    {
        long batches = (count + batchSize - 1) / batchSize;
        return count % batchSize == 1 && batches > 1 ? batches - 1 : batches;
    }

    /// <inheritdoc />
    public Batch Next()
    {
        long count = _images.Count;
        if (_order is null || _cursor >= count || count - _cursor == 1 && _cursor > 0)
        {
            if (_order is not null)
                Epoch++;
            _order?.Dispose();
            // The order outlives the step's dispose scope that this call runs in: detach it from every scope.
            using (NewDisposeScope())
                _order = randperm(count, generator: _rng).DetachFromDisposeScope();
            _cursor = 0;
        }
        long end = Math.Min(_cursor + BatchSize, count);
        using var scope = NewDisposeScope();
        var index = _order.slice(0, _cursor, end, 1);
        _cursor = end;
        var examples = _preprocessing.Apply(_images.Pixels.index_select(0, index)).to(Device);
        var labels = _images.Labels.index_select(0, index).to(Device);
        return new Batch(examples.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    /// <summary>The epoch's order, the place in it and the epoch count: with the data generator's state, the batches to come.</summary>
    public IReadOnlyDictionary<string, Tensor> CaptureState() => new Dictionary<string, Tensor>
    {
        // An empty order means no batch was drawn yet; the first call draws one.
        ["order"] = _order?.clone() ?? empty(0, dtype: int64),
        ["cursor"] = tensor(_cursor),
        ["epoch"] = tensor(Epoch),
    };

    /// <inheritdoc />
    public void RestoreState(IReadOnlyDictionary<string, Tensor> state)
    {
        Tensor order = Named(state, "order"), cursor = Named(state, "cursor"), epoch = Named(state, "epoch");
        long count = _images.Count;
        bool drawn = order.numel() > 0;
        if (order.dtype != int64 || order.dim() != 1 || drawn && order.shape[0] != count)
            throw new InvalidDataException($"the saved batch order is {order.dtype} of shape [{string.Join(", ", order.shape)}]; expected int64 of shape [{count}] for the {count} images of {_images.Name}");
        long place = cursor.item<long>();
        if (place < 0 || place > count)
            throw new InvalidDataException($"the saved batch cursor is {place}; expected 0 to {count}");
        _order?.Dispose();
        _order = drawn ? order.clone().DetachFromDisposeScope() : null;
        _cursor = place;
        Epoch = epoch.item<long>();
    }

    private static Tensor Named(IReadOnlyDictionary<string, Tensor> state, string name) =>
        state.TryGetValue(name, out var value) && value.dtype == int64
            ? value
            : throw new InvalidDataException($"the saved batch state has no int64 '{name}'; expected order, cursor and epoch");

    /// <summary>Frees the current epoch's order.</summary>
    public void Dispose()
    {
        _order?.Dispose();
        _order = null;
    }
}
