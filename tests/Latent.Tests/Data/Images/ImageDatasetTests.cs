using Latent.Data.Images;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data.Images;

public class ImageDatasetTests
{
    [Fact]
    public void PropertiesDescribeTheTensors()
    {
        LatentRuntime.EnsureLoaded();
        using var set = new ImageDataset("tiny", zeros(5, 1, 3, 4, dtype: ScalarType.Byte), tensor(new long[] { 2, 0, 2, 1, 2 }), ["a", "b", "c"]);

        Assert.Equal("tiny", set.Name);
        Assert.Equal(5, set.Count);
        Assert.Equal((1, 3, 4), (set.Channels, set.Height, set.Width));
        Assert.Equal(3, set.Classes);
        Assert.Equal(["a", "b", "c"], set.ClassNames);
        Assert.Equal([1L, 1, 3], set.CountPerClass());
        Assert.Equal("tiny: 5 images of 1×3×4, 3 classes", set.ToString());
    }

    [Fact]
    public void TensorsSurviveTheDisposeScopeTheyWereMadeIn()
    {
        LatentRuntime.EnsureLoaded();
        ImageDataset set;
        using (NewDisposeScope())
            set = new ImageDataset("tiny", ones(2, 1, 2, 2, dtype: ScalarType.Byte), zeros(2, dtype: ScalarType.Int64), ["only"]);

        using (set)
        {
            Assert.False(set.Pixels.IsInvalid);
            Assert.Equal(8, set.Pixels.sum().item<long>());
        }
        Assert.True(set.Pixels.IsInvalid);
        set.Dispose();
    }

    [Fact]
    public void LabelOutsideTheClassesIsRefusedNamingTheImageAndValue()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        var error = Assert.Throws<ArgumentException>(() =>
            new ImageDataset("tiny", zeros(4, 1, 2, 2, dtype: ScalarType.Byte), tensor(new long[] { 0, 1, 0, 2 }), ["a", "b"]));

        Assert.Equal("labels", error.ParamName);
        Assert.Contains("tiny: label 2 of image 3 is outside 0..1", error.Message);
        var negative = Assert.Throws<ArgumentException>(() =>
            new ImageDataset("tiny", zeros(2, 1, 2, 2, dtype: ScalarType.Byte), tensor(new long[] { -1, 0 }), ["a", "b"]));
        Assert.Contains("label -1 of image 0", negative.Message);
    }

    [Fact]
    public void TensorsOfTheWrongTypeOrShapeAreRefusedNamingWhatWasExpected()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var labels = zeros(3, dtype: ScalarType.Int64);

        var floats = Assert.Throws<ArgumentException>(() => new ImageDataset("x", zeros(3, 1, 2, 2), labels, ["a"]));
        Assert.Contains("Float32 [3, 1, 2, 2]", floats.Message);
        Assert.Contains("expected uint8 (N, C, H, W)", floats.Message);
        var flat = Assert.Throws<ArgumentException>(() => new ImageDataset("x", zeros(3, 4, dtype: ScalarType.Byte), labels, ["a"]));
        Assert.Equal("pixels", flat.ParamName);
        var tooFew = Assert.Throws<ArgumentException>(() => new ImageDataset("x", zeros(4, 1, 2, 2, dtype: ScalarType.Byte), labels, ["a"]));
        Assert.Contains("expected int64 [4]", tooFew.Message);
        var intLabels = Assert.Throws<ArgumentException>(() =>
            new ImageDataset("x", zeros(3, 1, 2, 2, dtype: ScalarType.Byte), zeros(3, dtype: ScalarType.Int32), ["a"]));
        Assert.Equal("labels", intLabels.ParamName);
        var noClasses = Assert.Throws<ArgumentException>(() => new ImageDataset("x", zeros(3, 1, 2, 2, dtype: ScalarType.Byte), labels, []));
        Assert.Equal("classNames", noClasses.ParamName);
    }
}
