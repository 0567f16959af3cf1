using Latent.Data.Images;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Data.Images;

public class ImageDataTests
{
    [Fact]
    public void SampleWithLabelsDrawsDistinctImagesWithTheirOwnLabels()
    {
        LatentRuntime.EnsureLoaded();
        using var data = new ImageData(TinyImages.Numbered(30, classes: 4), null, ImagePreprocessing.Unit);
        using var rng = new Generator(3);
        using var scope = NewDisposeScope();

        var (images, labels) = data.SampleWithLabels(30, rng);

        Assert.Equal([30L, 1, 2, 2], images.shape);
        int[] ids = images[.., 0, 0, 0].mul(255).round().to(ScalarType.Int32).data<int>().ToArray();
        Assert.Equal(Enumerable.Range(0, 30), ids.Order());
        Assert.NotEqual(Enumerable.Range(0, 30), ids); // shuffled
        Assert.Equal(ids.Select(id => (long)(id % 4)), labels.data<long>().ToArray());
    }

    [Fact]
    public void SampleDrawsFlattenedDistinctTrainingImages()
    {
        LatentRuntime.EnsureLoaded();
        using var data = new ImageData(TinyImages.Numbered(20, classes: 2), null, ImagePreprocessing.Unit);
        using var rng = new Generator(4);
        using var scope = NewDisposeScope();

        var rows = data.Sample(12, rng);

        Assert.Equal(4, data.Dimension);
        Assert.Equal([12L, 4], rows.shape);
        int[] ids = rows[.., 0].mul(255).round().to(ScalarType.Int32).data<int>().ToArray();
        Assert.Equal(12, ids.Distinct().Count());
    }

    [Fact]
    public void TheTestSplitIsDrawnFromWhenAskedFor()
    {
        LatentRuntime.EnsureLoaded();
        // 20 training and 6 test images: all 6 of the test split come back, and a 7th is refused.
        using var data = new ImageData(TinyImages.Numbered(20, classes: 2), TinyImages.Numbered(6, classes: 2), ImagePreprocessing.Unit);
        using var rng = new Generator(4);
        using var scope = NewDisposeScope();

        var (images, labels) = data.SampleWithLabels(6, rng, DataSplit.Test);

        Assert.Equal(Enumerable.Range(0, 6), images[.., 0, 0, 0].mul(255).round().to(ScalarType.Int32).data<int>().ToArray().Order());
        Assert.Equal(6, labels.numel());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => data.SampleWithLabels(7, rng, DataSplit.Test));
        Assert.Contains("expected 1 to the 6 images of the test split", error.Message);
    }

    [Fact]
    public void AskingForAMissingTestSplitNamesTheDataSet()
    {
        LatentRuntime.EnsureLoaded();
        using var data = new ImageData(TinyImages.Numbered(8, classes: 2), null, ImagePreprocessing.Unit);
        using var rng = new Generator(4);

        var error = Assert.Throws<InvalidOperationException>(() => data.SampleWithLabels(2, rng, DataSplit.Test));

        Assert.Equal("numbered has no test split", error.Message);
        Assert.Throws<InvalidOperationException>(() => data.Split(DataSplit.Test));
        Assert.Same(data.Train, data.Split(DataSplit.Train));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void ACountOutsideOneToTheSplitSizeIsRefused(long n)
    {
        LatentRuntime.EnsureLoaded();
        using var data = new ImageData(TinyImages.Numbered(8, classes: 2), null, ImagePreprocessing.Unit);
        using var rng = new Generator(4);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => data.SampleWithLabels(n, rng));

        Assert.Equal("n", error.ParamName);
        Assert.Contains("expected 1 to the 8 images of the train split", error.Message);
    }

    [Fact]
    public void ShapeFollowsThePaddingAndTheClassesTheTrainingSplit()
    {
        LatentRuntime.EnsureLoaded();
        using var data = new ImageData(TinyImages.Dataset(10, classes: 3, side: 28), null, new ImagePreprocessing(-1, 1, PadTo: 32));

        Assert.Equal((1, 32, 32), (data.Channels, data.Height, data.Width));
        Assert.Equal(1024, data.Dimension);
        Assert.Equal(3, data.Classes);
        Assert.Equal(["c0", "c1", "c2"], data.ClassNames);
    }

    [Fact]
    public void ATestSplitOfAnotherShapeOrClassCountIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var train = TinyImages.Dataset(10, classes: 3, side: 8);
        using var otherSize = TinyImages.Dataset(4, classes: 3, side: 6);
        using var otherClasses = TinyImages.Dataset(4, classes: 2, side: 8);

        var size = Assert.Throws<ArgumentException>(() => new ImageData(train, otherSize, ImagePreprocessing.Unit));
        var classes = Assert.Throws<ArgumentException>(() => new ImageData(train, otherClasses, ImagePreprocessing.Unit));

        Assert.Equal("test", size.ParamName);
        Assert.Contains("1×6×6 images of 3 classes; expected 1×8×8 of 3", size.Message);
        Assert.Contains("1×8×8 images of 2 classes; expected 1×8×8 of 3", classes.Message);
    }

    [Fact]
    public void ToUnitRangeMapsModelImagesBackToPixelsOverTwoFiftyFive()
    {
        LatentRuntime.EnsureLoaded();
        using var data = new ImageData(TinyImages.Dataset(6, classes: 2, side: 8), null, new ImagePreprocessing(-1, 1, Flatten: true));
        using var rng = new Generator(1);
        using var scope = NewDisposeScope();

        var (rows, _) = data.SampleWithLabels(6, rng);
        var unit = data.ToUnitRange(rows);

        Assert.Equal([6L, 1, 8, 8], unit.shape);
        // Bar images are black and white only.
        var values = unit.unique().Item1.data<float>().ToArray();
        Assert.Equal([0f, 1f], values);
    }
}
