using Latent.Data.Images;
using Latent.Evaluation;
using Latent.Evaluation.Classifiers;
using Latent.Runtime;
using Latent.Tests.Evaluation.Classifiers;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

/// <summary>
/// The image metrics on real MNIST, in the feature space of Latent's own classifier: real against real is the floor, and
/// every figure moves the right way as the "generated" images are made worse on purpose.
/// </summary>
[Collection(InstalledClassifiersCollection.Name)]
public sealed class ImageQualityRealDataTests(InstalledClassifiers classifiers)
{
    /// <summary>Images per side: large enough for stable figures, small enough for seconds.</summary>
    private const int Images = 3_000;

    [Fact]
    public void FidOfTestAgainstTrainIsSmallAndRisesMonotonicallyWithGaussianNoise()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(3);
        var real = Embed(classifiers.Data.MnistTest, 0, Images);
        var train = Unit(classifiers.Data.MnistTrain, 0, Images);
        double[] strengths = [0, 0.05, 0.1, 0.2, 0.4];

        double[] fids = [.. strengths.Select(std =>
            FrechetDistance.Between(real.Features, classifiers.Mnist.Embed((train + std * randn(train.shape, generator: rng)).clamp(0, 1)).Features))];

        for (int i = 1; i < fids.Length; i++)
            Assert.True(fids[i] > fids[i - 1], $"FID against train with noise std {strengths[i]}: {fids[i]:G4}, not above {fids[i - 1]:G4} at std {strengths[i - 1]} (all: {string.Join(", ", fids.Select(f => f.ToString("G4")))})");
        Assert.True(fids[0] < 0.05 * fids[^1], $"FID of test against train {fids[0]:G4}; with noise std 0.4 {fids[^1]:G4}: expected the real pair far below");
    }

    [Fact]
    public void RealAgainstRealScoresNearTheTopOfEveryScale()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(4);
        var real = Embed(classifiers.Data.MnistTest, 0, Images);
        var train = Embed(classifiers.Data.MnistTrain, 0, Images);

        var quality = ImageQuality.Measure(real, train, askedLabels: null, rng);

        Assert.InRange(quality.PrecisionRecall!.Precision, 0.6, 1);
        Assert.InRange(quality.PrecisionRecall!.Recall, 0.6, 1);
        Assert.InRange(quality.DensityCoverage!.Density, 0.8, 1.2);
        Assert.InRange(quality.DensityCoverage!.Coverage, 0.8, 1);
        // MNIST's train and test splits differ a little (measured 0.015 ± 0.005 over subsets at 5,000 a side).
        Assert.InRange(quality.Kid.Mean, -0.01, 0.05);
        Assert.InRange(quality.ClassKl, 0, 0.01);
        Assert.InRange(quality.ClassifierScore, 9.0, 10);
    }

    [Fact]
    public void ImagesOfOneClassLoseRecallCoverageAndClassBalanceButKeepPrecision()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(5);
        var real = Embed(classifiers.Data.MnistTest, 0, Images);
        var train = classifiers.Data.MnistTrain;
        // Mode collapse on purpose: only the training images of digit 3.
        var threes = nonzero(train.Labels.eq(3)).squeeze(1).slice(0, 0, 2_000, 1);
        var collapsed = classifiers.Mnist.Embed(train.Pixels.index_select(0, threes).to(float32) / 255f);

        var quality = ImageQuality.Measure(real, collapsed, askedLabels: null, rng);

        Assert.True(quality.PrecisionRecall!.Precision > 0.6, $"precision {quality.PrecisionRecall!.Precision}: real threes lie on the real manifold");
        Assert.True(quality.PrecisionRecall!.Recall < 0.3, $"recall {quality.PrecisionRecall!.Recall}: one digit in ten cannot cover the others");
        Assert.True(quality.DensityCoverage!.Coverage < 0.3, $"coverage {quality.DensityCoverage!.Coverage}");
        Assert.True(quality.ClassKl > 1.5, $"class KL {quality.ClassKl}; one class of ten gives up to ln 10 = 2.30");
        Assert.True(quality.ClassifierScore < 1.5, $"classifier score {quality.ClassifierScore}: one class scores about 1");
        Assert.True(quality.Fid > 20 * FrechetDistance.Between(real.Features, Embed(classifiers.Data.MnistTrain, 0, Images).Features), $"FID {quality.Fid} of one digit against all");
    }

    [Fact]
    public void ClassAccuracyCountsTheSamplesOfTheAskedForClass()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(6);
        var test = classifiers.Data.MnistTest;
        var real = Embed(test, 0, Images);
        var images = Embed(test, Images, 2 * Images);
        var labels = test.Labels.slice(0, Images, 2 * Images, 1);

        double right = ImageQuality.Measure(real, images, labels, rng).ClassAccuracy!.Value;
        double shifted = ImageQuality.Measure(real, images, (labels + 1).remainder(10), rng).ClassAccuracy!.Value;

        Assert.True(right > 0.98, $"accuracy on test images with their own labels {right}");
        Assert.True(shifted < 0.02, $"accuracy with every label wrong {shifted}");
    }

    private ClassifierOutputs Embed(ImageDataset set, long start, long end) => classifiers.Mnist.Embed(Unit(set, start, end));

    private static Tensor Unit(ImageDataset set, long start, long end) => set.Pixels.slice(0, start, end, 1).to(float32) / 255f;
}
