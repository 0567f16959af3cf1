using Latent.Data;
using Latent.Evaluation;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class ExactMatchTests
{
    [Fact]
    public void RateCountsRowsCorrectInEveryValueAfterThresholding()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var patterns = tensor(new float[] { 1, 0, 1, 0, 1, 0, 1, 1, 0 }, [3, 3]);
        var reconstructions = tensor(new float[]
        {
            0.9f, 0.1f, 0.7f, // right
            0.2f, 0.8f, 0.6f, // last value crosses 0.5: wrong
            0.51f, 0.99f, 0.5f, // 0.5 is not above the threshold, so it reads 0: right
        }, [3, 3]);

        RelativeAssert.Close(2.0 / 3, ExactMatch.Rate(patterns, reconstructions), 1e-15);
        // At 0.75 the first row's 0.7 and the last row's 0.51 read 0: only the middle row is right.
        Assert.Equal(1.0 / 3, ExactMatch.Rate(patterns, reconstructions, threshold: 0.75));
    }

    [Fact]
    public void PatternsReconstructedByThemselvesMatchAll()
    {
        LatentRuntime.EnsureLoaded();
        var patterns = new BinaryPatterns3x3().Points;

        Assert.Equal(1.0, ExactMatch.Rate(patterns, patterns));
    }

    [Fact]
    public void NonBinaryPatternsAndShapeMismatchAreRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        Assert.Contains("only 0 and 1", Assert.Throws<ArgumentException>(() => ExactMatch.Rate(full(2, 9, 0.5f), zeros(2, 9))).Message);
        Assert.Contains("patterns [10, 9] and reconstructions [10, 8]", Assert.Throws<ArgumentException>(() => ExactMatch.Rate(zeros(10, 9), zeros(10, 8))).Message);
    }
}
