using Latent.Data;
using Latent.Data.Images;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Data.Images;

public class ImageBatchesTests
{
    [Theory]
    [InlineData(100, 30, 4)] // 30 + 30 + 30 + 10
    [InlineData(91, 30, 3)]  // the fourth batch would hold one image: dropped
    [InlineData(11, 3, 4)]   // 3 + 3 + 3 + 2
    [InlineData(10, 3, 3)]   // 3 + 3 + 3, the tenth image waits for the next epoch
    [InlineData(60, 60, 1)]
    [InlineData(61, 60, 1)]
    [InlineData(1, 1, 1)]    // a single batch of one is all there is, so it is kept
    [InlineData(7, 1, 7)]
    public void BatchesPerEpochIsTheCeilingLessALastBatchOfOne(long count, int batchSize, long expected)
    {
        Assert.Equal(expected, ImageBatches.BatchesPerEpochOf(count, batchSize));
    }

    [Fact]
    public void EachEpochVisitsEveryImageExactlyOnceAndKeepsTheShortLastBatch()
    {
        LatentRuntime.EnsureLoaded();
        using var images = TinyImages.Numbered(11, classes: 3);
        using var rng = new Generator(5);
        using var batches = new ImageBatches(images, ImagePreprocessing.Unit, 3, rng, CPU);

        Assert.Equal(4, batches.BatchesPerEpoch);
        var epochs = new List<List<int>>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var ids = new List<int>();
            var sizes = new List<long>();
            for (int b = 0; b < 4; b++)
            {
                using var scope = NewDisposeScope();
                var batch = batches.Next();
                sizes.Add(batch.Size);
                ids.AddRange(Ids(batch));
            }
            Assert.Equal([3L, 3, 3, 2], sizes);
            Assert.Equal(Enumerable.Range(0, 11), ids.Order());
            epochs.Add(ids);
        }
        // Each epoch is shuffled anew (the chance that two orders of 11 agree is 1 in 11!).
        Assert.NotEqual(epochs[0], epochs[1]);
        Assert.NotEqual(epochs[1], epochs[2]);
    }

    [Fact]
    public void ALastBatchOfOneIsDroppedAndTheNextEpochStarts()
    {
        LatentRuntime.EnsureLoaded();
        using var images = TinyImages.Numbered(10, classes: 3);
        using var rng = new Generator(5);
        using var batches = new ImageBatches(images, ImagePreprocessing.Unit, 3, rng, CPU);
        using var scope = NewDisposeScope();

        var sizes = Enumerable.Range(0, 6).Select(_ => batches.Next().Size).ToList();

        Assert.Equal(3, batches.BatchesPerEpoch);
        Assert.Equal([3L, 3, 3, 3, 3, 3], sizes);
        Assert.Equal(1, batches.Epoch);
    }

    [Fact]
    public void EpochCountsCompletedPasses()
    {
        LatentRuntime.EnsureLoaded();
        using var images = TinyImages.Numbered(5, classes: 2);
        using var rng = new Generator(1);
        using var batches = new ImageBatches(images, ImagePreprocessing.Unit, 2, rng, CPU); // 2 + 2 + 1 dropped → 2 per epoch
        using var scope = NewDisposeScope();

        var epochs = new List<long> { batches.Epoch };
        for (int i = 0; i < 6; i++)
        {
            batches.Next();
            epochs.Add(batches.Epoch);
        }

        // Read after each batch: the count goes up when a batch starts a new pass.
        Assert.Equal([0L, 0, 0, 1, 1, 2, 2], epochs);
    }

    [Fact]
    public void TheSameSeedGivesTheSameOrderAndAnotherSeedAnother()
    {
        LatentRuntime.EnsureLoaded();
        using var images = TinyImages.Numbered(40, classes: 4);

        var first = Order(images, seed: 7);
        var again = Order(images, seed: 7);
        var other = Order(images, seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(first.Order(), other.Order());
    }

    [Fact]
    public void LabelsTravelWithTheirImages()
    {
        LatentRuntime.EnsureLoaded();
        using var images = TinyImages.Numbered(50, classes: 7);
        using var rng = new Generator(2);
        using var batches = new ImageBatches(images, ImagePreprocessing.Unit, 8, rng, CPU);

        int checkedImages = 0;
        for (int b = 0; b < 14; b++)
        {
            using var scope = NewDisposeScope();
            var batch = batches.Next();
            Assert.NotNull(batch.Labels);
            Assert.Equal(ScalarType.Int64, batch.Labels.dtype);
            Assert.Equal(ScalarType.Float32, batch.Examples.dtype);
            int[] ids = Ids(batch);
            long[] labels = batch.Labels.data<long>().ToArray();
            Assert.Equal(ids.Length, labels.Length);
            for (int i = 0; i < ids.Length; i++)
                Assert.Equal(ids[i] % 7, labels[i]);
            checkedImages += ids.Length;
        }
        Assert.True(checkedImages > 50); // more than one epoch
    }

    [Fact]
    public void BatchesArePreprocessedImagesOrRowsAsThePreprocessingSays()
    {
        LatentRuntime.EnsureLoaded();
        using var images = TinyImages.Dataset(12, classes: 2, side: 28);
        using var rng = new Generator(1);
        using var padded = new ImageBatches(images, new ImagePreprocessing(-1, 1, PadTo: 32), 4, rng, CPU);
        using var flat = new ImageBatches(images, ImagePreprocessing.Unit with { Flatten = true }, 4, rng, CPU);
        using var scope = NewDisposeScope();

        var imageBatch = padded.Next().Examples;
        var rowBatch = flat.Next().Examples;

        Assert.Equal([4L, 1, 32, 32], imageBatch.shape);
        Assert.Equal(-1f, imageBatch.min().item<float>());
        Assert.Equal(1f, imageBatch.max().item<float>());
        Assert.Equal([4L, 784], rowBatch.shape);
    }

    [Fact]
    public void ABatchSizeOutsideOneToTheImageCountIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var images = TinyImages.Numbered(5, classes: 2);
        using var rng = new Generator(1);

        var tooLarge = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageBatches(images, ImagePreprocessing.Unit, 6, rng, CPU));
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageBatches(images, ImagePreprocessing.Unit, 0, rng, CPU));

        Assert.Equal("batchSize", tooLarge.ParamName);
        Assert.Contains("expected 1 to the 5 images of numbered", tooLarge.Message);
        Assert.Equal("batchSize", zero.ParamName);
    }

    /// <summary>The index each image of the batch carries in its first pixel.</summary>
    private static int[] Ids(Batch batch) =>
        batch.Examples.reshape(batch.Size, -1)[.., 0].mul(255).round().to(ScalarType.Int32).data<int>().ToArray();

    private static List<int> Order(ImageDataset images, ulong seed)
    {
        using var rng = new Generator(seed);
        using var batches = new ImageBatches(images, ImagePreprocessing.Unit, 10, rng, CPU);
        using var scope = NewDisposeScope();
        return Enumerable.Range(0, 4).SelectMany(_ => Ids(batches.Next())).ToList();
    }
}
