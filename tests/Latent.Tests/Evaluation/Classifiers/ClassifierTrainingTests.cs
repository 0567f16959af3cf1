using Latent.Evaluation.Classifiers;
using Latent.Runtime;
using Latent.Tests.Data.Images;
using Latent.Tests.Nets;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation.Classifiers;

public class ClassifierTrainingTests
{
    [Fact]
    public void TrainedOnBarsItClassifiesHeldOutBars()
    {
        LatentRuntime.EnsureLoaded();
        using var oneThread = new SingleThread();
        using var train = TinyClassification.Train();
        using var test = TinyClassification.Test();
        var log = new StringWriter();

        using var classifier = ClassifierTraining.Train("bars", train, test, TinyClassification.Recipe, log);

        // Chance is 1/3; a trainer that does not learn (no step, wrong labels, a frozen net) stays near it.
        Assert.True(classifier.TestAccuracy >= 0.95, $"test accuracy {classifier.TestAccuracy:P1}; expected ≥ 95%\n{log}");
        Assert.Equal("bars", classifier.DataSet);
        Assert.Equal(TinyClassification.Recipe, classifier.Recipe);
        Assert.Null(classifier.Folder);
        Assert.Equal(240, classifier.TrainImages);
        Assert.Equal(60, classifier.TestImages);
        Assert.False(classifier.Net.training);
    }

    [Fact]
    public void ProgressGoesToTheLogFourTimesAnEpochNotEveryStep()
    {
        LatentRuntime.EnsureLoaded();
        using var oneThread = new SingleThread();
        using var train = TinyClassification.Train();
        using var test = TinyClassification.Test();
        var log = new StringWriter();

        using var classifier = ClassifierTraining.Train("bars", train, test, TinyClassification.Recipe with { Epochs = 2 }, log);

        string[] lines = log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        string[] progress = lines.Where(line => line.Contains(", loss ", StringComparison.Ordinal)).ToArray();
        // 15 steps an epoch: a line every 3 steps, 10 in all, the last at step 30.
        Assert.Equal(10, progress.Length);
        Assert.StartsWith("bars classifier: epoch 1/2, step 3/30, loss ", progress[0]);
        Assert.StartsWith("bars classifier: epoch 2/2, step 30/30, loss ", progress[^1]);
        Assert.EndsWith(" s", progress[^1]);
        Assert.Contains("bars classifier: test accuracy ", lines[^1]);
        Assert.Contains("% on 60 images of bars", lines[^1]);
    }

    [Fact]
    public void TheSameSeedGivesTheSameWeightsAndAnotherSeedOthers()
    {
        LatentRuntime.EnsureLoaded();
        using var oneThread = new SingleThread();
        using var train = TinyClassification.Train();
        using var test = TinyClassification.Test();
        var recipe = TinyClassification.Recipe with { Epochs = 2 };

        using var first = ClassifierTraining.Train("bars", train, test, recipe);
        using var second = ClassifierTraining.Train("bars", train, test, recipe);
        using var other = ClassifierTraining.Train("bars", train, test, recipe with { Seed = 1 });

        Assert.Equal(first.TestAccuracy, second.TestAccuracy);
        var firstState = first.Net.state_dict();
        var secondState = second.Net.state_dict();
        var otherState = other.Net.state_dict();
        Assert.Equal(firstState.Keys, secondState.Keys);
        foreach (string key in firstState.Keys)
            Assert.True(firstState[key].Equals(secondState[key]), $"{key} differs between two runs of one seed");
        Assert.False(firstState["head.weight"].Equals(otherState["head.weight"]));
    }

    [Fact]
    public void TrainingAndDisposingTheClassifierLeavesNoLiveTensorsBehind()
    {
        LatentRuntime.EnsureLoaded();
        using var oneThread = new SingleThread();
        using var train = TinyClassification.Train();
        using var test = TinyClassification.Test();
        var recipe = TinyClassification.Recipe with { Epochs = 1 };
        using (ClassifierTraining.Train("bars", train, test, recipe))
        {
        }
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        using (ClassifierTraining.Train("bars", train, test, recipe with { Epochs = 3 }))
        {
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void TheLearningRateFallsAlongAHalfCosine()
    {
        Assert.Equal(2e-3, ClassifierTraining.CosineRate(2e-3, 0, 100));
        Assert.Equal(1e-3, ClassifierTraining.CosineRate(2e-3, 50, 100), 15);
        // cos(π/4) = √2/2 at a quarter of the way.
        Assert.Equal(1e-3 * (1 + Math.Sqrt(0.5)), ClassifierTraining.CosineRate(2e-3, 25, 100), 15);
        Assert.Equal(0, ClassifierTraining.CosineRate(2e-3, 100, 100), 15);
    }

    [Fact]
    public void SplitsOfDifferentSizesAreRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var train = TinyClassification.Train();
        using var test = TinyImages.Dataset(30, 3, 16, seed: 3);

        var error = Assert.Throws<ArgumentException>(() => ClassifierTraining.Train("bars", train, test, TinyClassification.Recipe));

        Assert.Equal("test", error.ParamName);
        Assert.Contains("1×16×16", error.Message);
        Assert.Contains("expected 1×12×12", error.Message);
    }

    [Fact]
    public void ABatchLargerThanTheTrainingSplitIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var train = TinyClassification.Train();
        using var test = TinyClassification.Test();

        var error = Assert.Throws<ArgumentException>(() => ClassifierTraining.Train("bars", train, test, ClassifierRecipe.Default with { BatchSize = 500 }));

        Assert.Contains("ClassifierRecipe.BatchSize is 500; expected at most the 240 images of bars", error.Message);
    }

    [Fact]
    public void ABadRecipeIsRefusedBeforeTraining()
    {
        LatentRuntime.EnsureLoaded();
        using var train = TinyClassification.Train();
        using var test = TinyClassification.Test();

        var error = Assert.Throws<ArgumentException>(() => ClassifierTraining.Train("bars", train, test, ClassifierRecipe.Default with { Epochs = 0 }));

        Assert.Contains("ClassifierRecipe.Epochs is 0", error.Message);
    }

    [Fact]
    public void ImagesSmallerThan8PixelsAreRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var train = TinyImages.Dataset(40, 2, 6, seed: 1);
        using var test = TinyImages.Dataset(10, 2, 6, seed: 2);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ClassifierTraining.Train("bars", train, test, TinyClassification.Recipe));

        Assert.Equal("height", error.ParamName);
    }
}
