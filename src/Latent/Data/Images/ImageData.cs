using static TorchSharp.torch;

namespace Latent.Data.Images;

/// <summary>
/// A labelled image data set as a training source: its training and test splits and how their pixels become model
/// inputs. As an <see cref="IDataSource"/> it draws distinct training images as flattened rows.
/// </summary>
/// <remarks>Training batches come from <see cref="Batches"/>, which walks the training split in epochs.</remarks>
public sealed class ImageData : IDataSource, IDisposable
{
    /// <summary>Binds the splits to a preprocessing; it takes ownership of both data sets.</summary>
    /// <param name="train">The training split.</param>
    /// <param name="test">The test split, or null when there is none; same image size and classes as the training split.</param>
    /// <param name="preprocessing">Scaling, padding and flattening.</param>
    public ImageData(ImageDataset train, ImageDataset? test, ImagePreprocessing preprocessing)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(preprocessing);
        if (test is not null && (test.Channels, test.Height, test.Width, test.Classes) != (train.Channels, train.Height, train.Width, train.Classes))
            throw new ArgumentException($"the test split holds {test.Channels}×{test.Height}×{test.Width} images of {test.Classes} classes; expected {train.Channels}×{train.Height}×{train.Width} of {train.Classes} like the training split", nameof(test));
        Train = train;
        Test = test;
        Preprocessing = preprocessing;
        (Height, Width) = preprocessing.OutputSize(train.Height, train.Width);
    }

    /// <summary>The training split.</summary>
    public ImageDataset Train { get; }

    /// <summary>The test split, or null.</summary>
    public ImageDataset? Test { get; }

    /// <summary>Scaling, padding and flattening.</summary>
    public ImagePreprocessing Preprocessing { get; }

    /// <summary>Colour channels (1 for MNIST).</summary>
    public int Channels => Train.Channels;

    /// <summary>Rows of a model input image, after padding.</summary>
    public int Height { get; }

    /// <summary>Columns of a model input image, after padding.</summary>
    public int Width { get; }

    /// <summary>The number of classes.</summary>
    public int Classes => Train.Classes;

    /// <summary>Each class's name.</summary>
    public IReadOnlyList<string> ClassNames => Train.ClassNames;

    /// <inheritdoc />
    public int Dimension => Channels * Height * Width;

    /// <summary>Distinct training images in random order, preprocessed and flattened: (n, C·H·W).</summary>
    public Tensor Sample(long n, Generator rng)
    {
        var (images, _) = SampleWithLabels(n, rng);
        return images.flatten(1);
    }

    /// <summary>Distinct training images in random order, preprocessed (model shape), with their labels.</summary>
    /// <param name="n">1 to the size of the training split.</param>
    /// <param name="rng">The generator of the draw.</param>
    /// <param name="split">Which split to draw from.</param>
    public (Tensor Images, Tensor Labels) SampleWithLabels(long n, Generator rng, DataSplit split = DataSplit.Train)
    {
        var set = Split(split);
        if (n < 1 || n > set.Count)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"expected 1 to the {set.Count} images of the {split.ToString().ToLowerInvariant()} split");
        using var scope = NewDisposeScope();
        var index = randperm(set.Count, generator: rng).slice(0, 0, n, 1);
        var images = Preprocessing.Apply(set.Pixels.index_select(0, index));
        return (images.MoveToOuterDisposeScope(), set.Labels.index_select(0, index).MoveToOuterDisposeScope());
    }

    /// <summary>A split by name.</summary>
    /// <exception cref="InvalidOperationException">The test split was asked for and there is none.</exception>
    public ImageDataset Split(DataSplit split) => split switch
    {
        DataSplit.Train => Train,
        _ => Test ?? throw new InvalidOperationException($"{Train.Name} has no test split"),
    };

    /// <summary>Shuffled training batches, epoch after epoch, on <paramref name="device"/>.</summary>
    public ImageBatches Batches(int batchSize, Generator rng, Device device) => new(Train, Preprocessing, batchSize, rng, device);

    /// <summary>Maps model-space images back to [0, 1] for display, (N, C, H, W) on the CPU.</summary>
    public Tensor ToUnitRange(Tensor images) => Preprocessing.ToUnitRange(images, Channels, Height, Width);

    /// <summary>Maps model-space images back to stored images: (N, C, H, W) in [0, 1] at the stored size, on the CPU.</summary>
    public Tensor ToStoredImages(Tensor images) => Preprocessing.ToStoredImages(images, Channels, Train.Height, Train.Width);

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Test?.Dispose();
    }
}
