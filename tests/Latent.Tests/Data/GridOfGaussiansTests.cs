using Latent.Data;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data;

public class GridOfGaussiansTests
{
    [Fact]
    public void GridOfFiveHasTwentyFiveCentersFromMinusFourToFour()
    {
        LatentRuntime.EnsureLoaded();
        var grid = new GridOfGaussians();

        Assert.Equal(25, grid.ModeCount);
        Assert.Equal([25L, 2L], grid.Centers.shape);
        var centers = grid.Centers.data<float>().ToArray();
        var expectedCoordinates = new float[] { -4, -2, 0, 2, 4 };
        for (int k = 0; k < 25; k++)
        {
            Assert.Equal(expectedCoordinates[k / 5], centers[2 * k]);
            Assert.Equal(expectedCoordinates[k % 5], centers[2 * k + 1]);
        }
    }

    [Fact]
    public void EvenSideIsCenteredOnTheOriginToo()
    {
        LatentRuntime.EnsureLoaded();
        var grid = new GridOfGaussians(side: 2, spacing: 1);

        Assert.Equal(new float[] { -0.5f, -0.5f, -0.5f, 0.5f, 0.5f, -0.5f, 0.5f, 0.5f }, grid.Centers.data<float>().ToArray());
    }

    [Fact]
    public void SamplesLieWithinAFewStdOfAGridPoint()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(11);
        var grid = new GridOfGaussians();
        var samples = grid.Sample(2_000, rng);

        var nearestDistance = cdist(samples, grid.Centers).min(1).values;
        Assert.True(nearestDistance.max().item<float>() < 6 * 0.05f);
        Assert.Equal(25, bincount(cdist(samples, grid.Centers).argmin(1), minlength: 25).gt(0).sum().item<long>());
    }

    [Fact]
    public void NonPositiveSpacingIsRefusedByName()
    {
        Assert.Equal("spacing", Assert.Throws<ArgumentOutOfRangeException>(() => new GridOfGaussians(spacing: 0)).ParamName);
        Assert.Equal("side", Assert.Throws<ArgumentOutOfRangeException>(() => new GridOfGaussians(side: 0)).ParamName);
    }
}
