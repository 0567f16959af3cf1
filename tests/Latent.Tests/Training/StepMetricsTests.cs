using Latent.Runtime;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Tests.Training;

public class StepMetricsTests
{
    [Fact]
    public void ReadKeepsNamesValuesAndOrderOfScalarsOfAnyTypeAndShape()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        var metrics = StepMetrics.Read(
            ("b", tensor(1.5f)),                          // float32, 0-d
            ("a", tensor(new double[] { -2.25 })),        // float64, (1)
            ("c", tensor(7L)),                            // int64
            ("d", tensor(new float[,] { { 0.125f } })));  // (1, 1)

        Assert.Equal(["b", "a", "c", "d"], metrics.Values.Select(p => p.Key));
        Assert.Equal([1.5, -2.25, 7, 0.125], metrics.Values.Select(p => p.Value));
        Assert.Equal(-2.25, metrics["a"]);
    }

    [Fact]
    public void ReadOfAGraphTensorLeavesTheGraphAndTheValuesOutliveTheScope()
    {
        LatentRuntime.EnsureLoaded();
        StepMetrics metrics;
        using (NewDisposeScope())
        {
            var x = tensor(3.0f, requires_grad: true);
            metrics = StepMetrics.Read(("square", x * x));
        }

        Assert.Equal(9, metrics["square"]);
    }

    [Fact]
    public void ReadOfNothingIsEmpty()
    {
        Assert.Empty(StepMetrics.Read().Values);
    }

    [Fact]
    public void AddAppendsNewNamesAndReplacesExistingOnesInPlace()
    {
        var metrics = new StepMetrics().Add("loss", 1).Add("kl", 2).Add("loss", 3);

        Assert.Equal(["loss", "kl"], metrics.Values.Select(p => p.Key));
        Assert.Equal(3, metrics["loss"]);
    }

    [Fact]
    public void MissingNameThrowsListingTheRecordedOnes()
    {
        var metrics = new StepMetrics().Add("d_loss", 1).Add("g_loss", 2);

        var error = Assert.Throws<KeyNotFoundException>(() => metrics["gp"]);
        Assert.Contains("'gp'", error.Message);
        Assert.Contains("d_loss, g_loss", error.Message);
        Assert.False(metrics.TryGet("gp", out double value));
        Assert.True(double.IsNaN(value));
    }
}
