using Latent.Evaluation.Classifiers;
using Latent.Runtime;
using Latent.Tests.Nets;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation.Classifiers;

public class ImageClassifierTests
{
    [Theory]
    [InlineData(1, 28, 28, 10)]
    [InlineData(3, 32, 32, 10)]
    [InlineData(1, 8, 8, 2)]
    [InlineData(3, 12, 20, 5)]
    public void MapsImagesToLogitsAndFeatures(int channels, int height, int width, int classes)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var net = new ImageClassifier(channels, height, width, classes);
        var images = rand(4, channels, height, width);

        var logits = net.call(images);
        var features = net.Features(images);

        Assert.Equal(new long[] { 4, classes }, logits.shape);
        Assert.Equal(new long[] { 4, 128 }, features.shape);
        Assert.Equal(128, net.FeatureDim);
        Assert.Equal(classes, net.Classes);
    }

    [Fact]
    public void At28PixelsThreeBlocksEndAt3By3Before128Features()
    {
        LatentRuntime.EnsureLoaded();
        using var net = new ImageClassifier(1, 28, 28, 10);

        Assert.Equal(
            new[]
            {
                "Conv(1, 16, 3, 1, 1)", "BN(16)", "ReLU", "MaxPool2d",
                "Conv(16, 32, 3, 1, 1)", "BN(32)", "ReLU", "MaxPool2d",
                "Conv(32, 64, 3, 1, 1)", "BN(64)", "ReLU", "MaxPool2d",
                "Flatten", "Linear(576, 128)", "BN(128)", "ReLU", "Dropout", "Linear(128, 10, bias)",
            },
            LayerList.Of(net));
    }

    [Fact]
    public void InEvalModeTheLastLinearOfTheFeaturesGivesTheLogits()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var net = new ImageClassifier(1, 12, 12, 3);
        net.eval();
        var images = rand(5, 1, 12, 12);

        var features = net.Features(images);

        Assert.True(net.Classify(features).allclose(net.call(images), rtol: 0, atol: 0));
        // After a ReLU, no feature is negative.
        Assert.True((features >= 0).all().item<bool>());
    }

    [Fact]
    public void ANetBuiltInsideADisposeScopeOutlivesIt()
    {
        LatentRuntime.EnsureLoaded();
        ImageClassifier net;
        using (NewDisposeScope())
            net = new ImageClassifier(1, 8, 8, 2);
        using (net)
        using (var scope = NewDisposeScope())
        {
            var logits = net.call(rand(2, 1, 8, 8));

            Assert.Equal(new long[] { 2, 2 }, logits.shape);
        }
    }

    [Fact]
    public void ImagesOfAnotherSizeAreRefusedNamingBothShapes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var net = new ImageClassifier(1, 28, 28, 10);

        var error = Assert.Throws<ArgumentException>(() => net.call(rand(2, 1, 32, 32)));

        Assert.Contains("[2, 1, 32, 32]", error.Message);
        Assert.Contains("[N, 1, 28, 28]", error.Message);
        Assert.Throws<ArgumentException>(() => net.Features(rand(2, 784)));
    }

    [Theory]
    [InlineData(0, 28, 28, 10, 0.25, "channels")]
    [InlineData(1, 7, 28, 10, 0.25, "height")]
    [InlineData(1, 28, 4, 10, 0.25, "width")]
    [InlineData(1, 28, 28, 1, 0.25, "classes")]
    [InlineData(1, 28, 28, 10, 1.0, "dropout")]
    [InlineData(1, 28, 28, 10, -0.1, "dropout")]
    [InlineData(1, 28, 28, 10, double.NaN, "dropout")]
    public void SizesOutOfRangeAreRefusedNamingTheArgument(int channels, int height, int width, int classes, double dropout, string argument)
    {
        LatentRuntime.EnsureLoaded();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageClassifier(channels, height, width, classes, dropout));

        Assert.Equal(argument, error.ParamName);
    }
}
