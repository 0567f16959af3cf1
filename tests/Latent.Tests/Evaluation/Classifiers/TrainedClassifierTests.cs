using Latent.Evaluation.Classifiers;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation.Classifiers;

public class TrainedClassifierTests(TinyTrainedClassifier tiny) : IClassFixture<TinyTrainedClassifier>
{
    private TrainedClassifier Classifier => tiny.Classifier;

    [Fact]
    public void EmbedGivesFloat64FeaturesAndProbabilitiesOnTheCpu()
    {
        using var scope = NewDisposeScope();
        var images = tiny.Test.Pixels.to(float32) / 255;

        using var outputs = Classifier.Embed(images);

        Assert.Equal(new long[] { 60, 128 }, outputs.Features.shape);
        Assert.Equal(new long[] { 60, 3 }, outputs.Probabilities.shape);
        Assert.Equal(ScalarType.Float64, outputs.Features.dtype);
        Assert.Equal(ScalarType.Float64, outputs.Probabilities.dtype);
        Assert.Equal(DeviceType.CPU, outputs.Features.device_type);
        Assert.Equal(128, Classifier.FeatureDim);
        Assert.True(outputs.Probabilities.sum(1).allclose(ones(60, float64), rtol: 0, atol: 1e-6));
        Assert.True((outputs.Probabilities >= 0).all().item<bool>());
    }

    [Fact]
    public void EmbedMatchesTheNetInEvalMode()
    {
        using var scope = NewDisposeScope();
        var images = tiny.Test.Pixels.to(float32) / 255;

        using var outputs = Classifier.Embed(images);

        using (no_grad())
        {
            var features = Classifier.Net.Features(images).to(float64);
            var probabilities = Classifier.Net.call(images).softmax(1).to(float64);
            Assert.True(outputs.Features.allclose(features, rtol: 1e-6, atol: 1e-6));
            Assert.True(outputs.Probabilities.allclose(probabilities, rtol: 1e-6, atol: 1e-6));
        }
        // The most probable class is right as often as the test accuracy says.
        double accuracy = outputs.Probabilities.argmax(1).eq(tiny.Test.Labels).to(float64).mean().item<double>();
        Assert.Equal(Classifier.TestAccuracy, accuracy, 12);
    }

    [Fact]
    public void EmbeddingInSmallBatchesGivesWhatOneBatchGives()
    {
        using var scope = NewDisposeScope();
        var images = tiny.Test.Pixels.to(float32) / 255;

        using var whole = Classifier.Embed(images);
        using var pieces = Classifier.Embed(images, batchSize: 7);

        // Eval mode: BatchNorm uses running statistics, so an image's features do not depend on its batch.
        Assert.True(whole.Features.allclose(pieces.Features, rtol: 1e-6, atol: 1e-6));
        Assert.True(whole.Probabilities.allclose(pieces.Probabilities, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void EmbeddingAndDisposingTheOutputsLeavesNoLiveTensorsBehind()
    {
        using var images = tiny.Test.Pixels.to(float32) / 255;
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        using (Classifier.Embed(images, batchSize: 7))
        {
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void EmbedTakesNoImagesAndGivesEmptyOutputs()
    {
        using var scope = NewDisposeScope();

        using var outputs = Classifier.Embed(zeros(0, 1, 12, 12));

        Assert.Equal(new long[] { 0, 128 }, outputs.Features.shape);
        Assert.Equal(new long[] { 0, 3 }, outputs.Probabilities.shape);
    }

    [Fact]
    public void ImagesInTheTanhRangeAreRefusedNamingTheRange()
    {
        using var scope = NewDisposeScope();
        var images = tiny.Test.Pixels.to(float32) / 127.5 - 1;

        var error = Assert.Throws<ArgumentException>(() => Classifier.Embed(images));

        Assert.Contains("range over [-1, 1]", error.Message);
        Assert.Contains("expected pixels in [0, 1]", error.Message);
    }

    [Fact]
    public void ImagesOfAnotherShapeOrTypeAreRefused()
    {
        using var scope = NewDisposeScope();

        var shape = Assert.Throws<ArgumentException>(() => Classifier.Embed(zeros(2, 1, 28, 28)));
        var bytes = Assert.Throws<ArgumentException>(() => Classifier.Embed(tiny.Test.Pixels));

        Assert.Contains("images [2, 1, 28, 28]; expected [N, 1, 12, 12]", shape.Message);
        Assert.Contains("images are Byte; expected floating-point", bytes.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Classifier.Embed(zeros(2, 1, 12, 12), batchSize: 0));
    }

    [Fact]
    public void AccuracyOfTheTestSplitIsTheRecordedTestAccuracy()
    {
        Assert.Equal(Classifier.TestAccuracy, Classifier.Accuracy(tiny.Test), 12);
        Assert.Equal(Classifier.TestAccuracy, Classifier.Accuracy(tiny.Test, batchSize: 11), 12);
    }

    [Fact]
    public void ToStringNamesTheDataSetAndTheAccuracy()
    {
        Assert.Matches(@"^bars classifier: \d+\.\d\d% test accuracy on 60 images$", Classifier.ToString());
    }
}
