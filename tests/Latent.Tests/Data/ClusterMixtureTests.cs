using Latent.Data;
using Latent.Evaluation;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data;

public class ClusterMixtureTests
{
    [Fact]
    public void ThreeClustersOfAHundredAroundTheTutorialsCenters()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(12);
        var clusters = new ClusterMixture(rng);

        Assert.Equal([300L, 2L], clusters.Points.shape);
        Assert.Equal(new float[] { 1, 1, -1, -1, 1, -1 }, clusters.Centers.data<float>().ToArray());
        Assert.Equal(0.3, clusters.Std);
        // Points are stored cluster by cluster; each block's mean is within a few 0.3/√100 = 0.03 of its center.
        var blockMeans = clusters.Points.reshape(3, 100, 2).mean([1]);
        Assert.True((blockMeans - clusters.Centers).abs().max().item<float>() < 0.12f);
    }

    [Fact]
    public void ClusterNoiseHasTheAskedStd()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(13);
        var clusters = new ClusterMixture(rng, pointsPerCluster: 3_000, std: 0.3);

        var offsets = clusters.Points - clusters.Centers.repeat_interleave(3_000, 0);
        // 18,000 values: standard error of the std ≈ 0.3/√36000 ≈ 0.0016.
        Assert.InRange(SampleMoments.Of(offsets.reshape(-1)).Std, 0.294, 0.306);
    }

    [Fact]
    public void InvalidParametersAreRefusedByName()
    {
        LatentRuntime.EnsureLoaded();
        using var rng = new Generator(0);
        Assert.Equal("pointsPerCluster", Assert.Throws<ArgumentOutOfRangeException>(() => new ClusterMixture(rng, pointsPerCluster: 0)).ParamName);
        Assert.Equal("std", Assert.Throws<ArgumentOutOfRangeException>(() => new ClusterMixture(rng, std: -0.3)).ParamName);
    }
}
