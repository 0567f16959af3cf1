using Latent.Evaluation;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class ClassDistributionTests
{
    [Fact]
    public void HistogramCountsTheArgmaxOfEveryRow()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var probabilities = tensor(new float[]
        {
            0.7f, 0.2f, 0.1f, 0,
            0.1f, 0.8f, 0.1f, 0,
            0.2f, 0.1f, 0.7f, 0,
            0.6f, 0.3f, 0.1f, 0,
            2f, -1f, 0.5f, 0, // logits work too: only the argmax counts
        }, [5, 4]);

        Assert.Equal([3L, 1, 1, 0], ClassDistribution.Histogram(probabilities));
        Assert.Equal([0L, 2, 0, 1], ClassDistribution.Histogram(tensor(new long[] { 1, 3, 1 }), classCount: 4));
    }

    [Fact]
    public void KlOfAnEvenHistogramIsZeroAndOfOneClassIsLnC()
    {
        Assert.Equal(0.0, ClassDistribution.KlToUniform([25, 25, 25, 25]), 15);
        RelativeAssert.Close(Math.Log(10), ClassDistribution.KlToUniform([0, 0, 0, 7, 0, 0, 0, 0, 0, 0]), 1e-15);
        // p = (½, ¼, ¼, 0) over C = 4: ½·ln 2 + 2·¼·ln 1 + 0·ln 0 = ½·ln 2.
        RelativeAssert.Close(0.5 * Math.Log(2), ClassDistribution.KlToUniform([2, 1, 1, 0]), 1e-15);
    }

    [Fact]
    public void KlOfAPredictedHistogramFollowsTheClassifier()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // 30 rows cycling over 3 classes: an even spread.
        var evenLabels = arange(30, dtype: ScalarType.Int64).remainder(3);
        var even = nn.functional.one_hot(evenLabels, 3).to(ScalarType.Float32);

        Assert.Equal([10L, 10, 10], ClassDistribution.Histogram(even));
        Assert.Equal(0.0, ClassDistribution.KlToUniform(ClassDistribution.Histogram(even)));
        Assert.Equal(Math.Log(3), ClassDistribution.KlToUniform(ClassDistribution.Histogram(zeros(30, dtype: ScalarType.Int64), 3)));
    }

    [Fact]
    public void AccuracyIsTheShareOfRowsWhoseArgmaxIsTheAskedLabel()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var probabilities = tensor(new double[] { 0.9, 0.1, 0.3, 0.7, 0.6, 0.4, 0.2, 0.8 }, [4, 2]);

        Assert.Equal(0.75, ClassDistribution.Accuracy(probabilities, tensor(new long[] { 0, 1, 1, 1 })));
        Assert.Equal(0.25, ClassDistribution.Accuracy(probabilities, tensor(new int[] { 1, 0, 1, 1 })));
    }

    [Fact]
    public void ClassifierScoreOfConfidentEvenlySpreadPredictionsIsTheClassCount()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var labels = arange(40, dtype: ScalarType.Int64).remainder(4);
        var confident = nn.functional.one_hot(labels, 4).to(ScalarType.Float32);

        // Each KL(p(y|x) ‖ p(y)) = ln(1/¼) = ln 4.
        RelativeAssert.Close(4, ClassDistribution.ClassifierScore(confident), 1e-12);
    }

    [Fact]
    public void ClassifierScoreOfIdenticalPredictionsIsOne()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var same = tensor(new double[] { 0.7, 0.2, 0.1 }).unsqueeze(0).expand(12, 3);

        RelativeAssert.Close(1, ClassDistribution.ClassifierScore(same), 1e-12);
    }

    [Fact]
    public void ClassifierScoreOfTwoRowsMatchesTheHandComputedValue()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var probabilities = tensor(new double[] { 1, 0, 0.5, 0.5 }, [2, 2]);

        // p(y) = (¾, ¼). KL of row 1 = ln(4/3); of row 2 = ½·ln(⅔) + ½·ln 2 = ½·ln(4/3). Mean ¾·ln(4/3).
        RelativeAssert.Close(Math.Pow(4.0 / 3, 0.75), ClassDistribution.ClassifierScore(probabilities), 1e-14);
    }

    [Fact]
    public void BadInputsAreRefusedNamingWhatWasReceived()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var logits = Assert.Throws<ArgumentException>(() => ClassDistribution.ClassifierScore(tensor(new double[] { 0.5, 0.5, 2, 1 }, [2, 2])));
        Assert.Contains("row 1 of probabilities sums to 3; expected each row to sum to 1", logits.Message);
        var negative = Assert.Throws<ArgumentException>(() => ClassDistribution.ClassifierScore(tensor(new double[] { 1.5, -0.5 }, [1, 2])));
        Assert.Contains("negative value (-0.5)", negative.Message);

        var range = Assert.Throws<ArgumentException>(() => ClassDistribution.Accuracy(zeros(3, 4), tensor(new long[] { 0, 4, 1 })));
        Assert.Contains("askedLabels hold values from 0 to 4; expected class indices in [0, 4)", range.Message);
        var rows = Assert.Throws<ArgumentException>(() => ClassDistribution.Accuracy(zeros(3, 4), tensor(new long[] { 0, 1 })));
        Assert.Contains("askedLabels [2] must have one label per row of probabilities, 3", rows.Message);
        var floats = Assert.Throws<ArgumentException>(() => ClassDistribution.Histogram(zeros(3), 4));
        Assert.Contains("expected an integer tensor of class indices", floats.Message);
        var shape = Assert.Throws<ArgumentException>(() => ClassDistribution.Histogram(zeros(3)));
        Assert.Contains("probabilities [3] must be (N, C)", shape.Message);

        Assert.Throws<ArgumentException>(() => ClassDistribution.KlToUniform([0, 0, 0]));
        Assert.Throws<ArgumentException>(() => ClassDistribution.KlToUniform([]));
        Assert.Contains("histogram[1] is -2", Assert.Throws<ArgumentException>(() => ClassDistribution.KlToUniform([3, -2])).Message);
    }
}
