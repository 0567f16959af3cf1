using Latent.Nets;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

public class MinibatchStdDevTests
{
    [Fact]
    public void AppendsTheMeanOfTheBatchStdAsOneFeature()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = new MinibatchStdDev();
        // Feature 0: {1, 3}, mean 2, biased variance 1, std 1. Feature 1: {2, 6}, mean 4, variance 4, std 2.
        // Appended: (√(1 + 1e-8) + √(4 + 1e-8)) / 2 = 1.5 (to 1e-8).
        var x = tensor(new float[,] { { 1, 2 }, { 3, 6 } });

        var y = layer.call(x);

        Assert.Equal(new long[] { 2, 3 }, y.shape);
        Assert.Equal(new float[] { 1, 2, 1.5f, 3, 6, 1.5f }, y.data<float>().ToArray());
    }

    [Fact]
    public void IdenticalRowsGiveAlmostZero()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = new MinibatchStdDev();
        var x = randn(1, 5).expand(8, 5);

        var y = layer.call(x);

        // √(0 + 1e-8) = 1e-4.
        Assert.Equal(1e-4, y[.., 5].max().item<float>(), 1e-6);
    }

    [Fact]
    public void ImagesGetOneConstantChannel()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = new MinibatchStdDev();
        // Two images, all 0 and all 2: every pixel has mean 1 and biased std 1 over the batch.
        var x = cat([zeros(1, 3, 2, 2), full(1, 3, 2, 2, 2f)], 0);

        var y = layer.call(x);

        Assert.Equal(new long[] { 2, 4, 2, 2 }, y.shape);
        Assert.Equal(1.0, y[.., 3].min().item<float>(), 1e-6);
        Assert.Equal(1.0, y[.., 3].max().item<float>(), 1e-6);
        Assert.True(y[.., ..3].Equals(x));
    }

    [Fact]
    public void VectorInputIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = new MinibatchStdDev();

        var error = Assert.Throws<ArgumentException>(() => layer.call(ones(4)));
        Assert.Contains("[4]", error.Message);
    }
}
