using Latent.Data.Images;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Data.Images;

public class ImagePreprocessingTests
{
    [Fact]
    public void BlackAndWhiteBecomeExactlyLowAndHigh()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var pixels = tensor(new byte[] { 0, 255, 51, 204 }, [1, 1, 2, 2], ScalarType.Byte);

        float[] symmetric = ImagePreprocessing.Symmetric.Apply(pixels).data<float>().ToArray();
        float[] unit = ImagePreprocessing.Unit.Apply(pixels).data<float>().ToArray();

        // Black and white hit the ends of the range exactly: a tanh generator or a BCE target never sees a value outside it.
        Assert.Equal(-1f, symmetric[0]);
        Assert.Equal(1f, symmetric[1]);
        Assert.Equal(0f, unit[0]);
        Assert.Equal(1f, unit[1]);
        // In between the map is linear: 51 = 255/5 → 2/5 − 1 = −0.6 and 1/5; 204 = 4·51 → 0.6 and 0.8.
        Assert.Equal(-0.6f, symmetric[2], 1e-6f);
        Assert.Equal(0.6f, symmetric[3], 1e-6f);
        Assert.Equal(0.2f, unit[2], 1e-6f);
        Assert.Equal(0.8f, unit[3], 1e-6f);
    }

    [Fact]
    public void OutputIsFloat32OfTheImageShape()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        var x = ImagePreprocessing.Symmetric.Apply(zeros([3, 1, 28, 28], ScalarType.Byte));

        Assert.Equal(ScalarType.Float32, x.dtype);
        Assert.Equal([3L, 1, 28, 28], x.shape);
    }

    [Fact]
    public void PaddingTo32CentresA28PixelImageOnTheBlackBackground()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // Every pixel distinct, so a shift by one pixel in either direction would show.
        var pixels = arange(28 * 28, dtype: ScalarType.Int64).remainder(251).add(1).to(ScalarType.Byte).reshape(1, 1, 28, 28);
        var preprocessing = new ImagePreprocessing(-1, 1, PadTo: 32);

        var padded = preprocessing.Apply(pixels);

        Assert.Equal([1L, 1, 32, 32], padded.shape);
        Assert.Equal((32, 32), preprocessing.OutputSize(28, 28));
        // (32 − 28) / 2 = 2 background rows and columns on every side, each at Low (a black pixel).
        var expectedCentre = ImagePreprocessing.Symmetric.Apply(pixels);
        Assert.True(padded[.., .., 2..30, 2..30].Equals(expectedCentre));
        Tensor[] margins = [padded[.., .., 0..2, ..], padded[.., .., 30..32, ..], padded[.., .., .., 0..2], padded[.., .., .., 30..32]];
        Assert.All(margins, margin => Assert.True((margin == -1f).all().item<bool>()));
    }

    [Fact]
    public void AnOddMarginPutsTheExtraRowAndColumnAfterTheImage()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var pixels = full([1, 1, 5, 5], 255, dtype: ScalarType.Byte);

        var padded = new ImagePreprocessing(0, 1, PadTo: 8).Apply(pixels);

        // 3 pixels of margin: 1 before, 2 after, in both directions.
        var rows = padded[0, 0].sum([1]).data<float>().ToArray();
        var columns = padded[0, 0].sum([0]).data<float>().ToArray();
        Assert.Equal([0f, 5, 5, 5, 5, 5, 0, 0], rows);
        Assert.Equal([0f, 5, 5, 5, 5, 5, 0, 0], columns);
    }

    [Fact]
    public void FlattenGivesOneRowPerImageInRowMajorOrder()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var pixels = randint(0, 256, [4, 1, 28, 28], dtype: ScalarType.Byte, generator: new Generator(3));

        var rows = new ImagePreprocessing(-1, 1, PadTo: 32, Flatten: true).Apply(pixels);
        var images = new ImagePreprocessing(-1, 1, PadTo: 32).Apply(pixels);

        Assert.Equal([4L, 1024], rows.shape);
        Assert.True(rows.Equals(images.reshape(4, 1024)));
    }

    [Theory]
    [InlineData(-1.0, 1.0, null)]
    [InlineData(0.0, 1.0, null)]
    [InlineData(-1.0, 1.0, 32)]
    [InlineData(-0.5, 2.0, 30)]
    public void ToUnitRangeUndoesApplyFromRowsOrImages(double low, double high, int? padTo)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var pixels = randint(0, 256, [6, 1, 28, 28], dtype: ScalarType.Byte, generator: new Generator(8));
        var images = new ImagePreprocessing(low, high, padTo);
        var rows = images with { Flatten = true };
        int side = padTo ?? 28;
        long margin = (side - 28) / 2;

        var fromImages = images.ToUnitRange(images.Apply(pixels), 1, side, side);
        var fromRows = rows.ToUnitRange(rows.Apply(pixels), 1, side, side);

        Assert.Equal([6L, 1, side, side], fromImages.shape);
        var centre = fromImages[.., .., (int)margin..(int)(margin + 28), (int)margin..(int)(margin + 28)];
        double error = (centre - pixels.to(ScalarType.Float32) / 255f).abs().max().item<float>();
        Assert.True(error < 1e-6, $"largest difference from pixels / 255: {error}");
        Assert.True(fromRows.Equals(fromImages));
        if (margin > 0)
            Assert.Equal(0f, fromImages[.., .., 0, ..].abs().max().item<float>()); // the padding is black
    }

    [Fact]
    public void ToUnitRangeClampsValuesOutsideTheRange()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        var unit = ImagePreprocessing.Symmetric.ToUnitRange(tensor(new float[] { -3, -1, 0, 1, 3, 0.5f }).reshape(1, 6), 1, 2, 3);

        Assert.Equal([0f, 0, 0.5f, 1, 1, 0.75f], unit.flatten().data<float>().ToArray());
    }

    [Fact]
    public void PixelsThatAreNotUint8ImagesAreRefusedNamingWhatWasExpected()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        var floats = Assert.Throws<ArgumentException>(() => ImagePreprocessing.Unit.Apply(zeros(2, 1, 4, 4)));
        var flat = Assert.Throws<ArgumentException>(() => ImagePreprocessing.Unit.Apply(zeros([2, 16], ScalarType.Byte)));

        Assert.Equal("pixels", floats.ParamName);
        Assert.Contains("Float32 [2, 1, 4, 4]", floats.Message);
        Assert.Contains("expected uint8 (N, C, H, W)", floats.Message);
        Assert.Equal("pixels", flat.ParamName);
        Assert.Contains("[2, 16]", flat.Message);
    }

    [Fact]
    public void PaddingSmallerThanTheImageIsRefusedNamingBothSizes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var preprocessing = new ImagePreprocessing(PadTo: 20);

        var error = Assert.Throws<ArgumentException>(() => preprocessing.Apply(zeros([1, 1, 28, 28], ScalarType.Byte)));

        Assert.Contains("image size 20: smaller than the 28 × 28 images; expected at least 28", error.Message);
        Assert.Throws<ArgumentException>(() => preprocessing.OutputSize(28, 28));
        Assert.Contains("expected a positive number", Assert.Throws<ArgumentException>(() => new ImagePreprocessing(PadTo: 0).OutputSize(28, 28)).Message);
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(double.NaN, 1.0)]
    [InlineData(0.0, double.PositiveInfinity)]
    public void ARangeThatIsNotLowBelowHighIsRefused(double low, double high)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var preprocessing = new ImagePreprocessing(low, high);

        var error = Assert.Throws<ArgumentException>(() => preprocessing.Apply(zeros([1, 1, 2, 2], ScalarType.Byte)));

        Assert.Contains("pixel range", error.Message);
        Assert.Contains("expected finite values with low < high", error.Message);
    }

    [Fact]
    public void ToUnitRangeOfTheWrongSizeNamesBothShapes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        var error = Assert.Throws<ArgumentException>(() => ImagePreprocessing.Unit.ToUnitRange(zeros(2, 700), 1, 28, 28));

        Assert.Equal("images", error.ParamName);
        Assert.Contains("images [2, 700]; expected (N, 784) or (N, 1, 28, 28)", error.Message);
    }

    [Fact]
    public void ToStoredImagesUndoesScalingPaddingAndFlattening()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(5);
        var pixels = randint(0, 256, [3, 1, 28, 28], dtype: ScalarType.Byte, generator: rng);
        var preprocessing = new ImagePreprocessing(-1, 1, PadTo: 32, Flatten: true);

        var stored = preprocessing.ToStoredImages(preprocessing.Apply(pixels), 1, 28, 28);

        Assert.Equal([3L, 1, 28, 28], stored.shape);
        Assert.True((stored * 255 - pixels.to(float32)).abs().max().item<float>() < 1e-3f, "stored images differ from the pixels they came from");
    }
}
