using Latent.Models;
using Latent.Nets;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

public class ExponentialMovingAverageTests
{
    [Fact]
    public void ShadowStartsAsACopyInEvaluationModeWithoutGradients()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var online = nn.Linear(3, 2);
        using var ema = new ExponentialMovingAverage(online, nn.Linear(3, 2));

        var shadow = (TorchSharp.Modules.Linear)ema.Shadow;
        Assert.True(shadow.weight.Equals(online.weight));
        Assert.True(shadow.bias!.Equals(online.bias!));
        Assert.False(shadow.training);
        Assert.All(shadow.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void OneUpdateMovesTheShadowByOneMinusDecay()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var online = nn.Linear(2, 1);
        SetLinear(online, [1, 2], 3);
        using var ema = new ExponentialMovingAverage(online, nn.Linear(2, 1), decay: 0.9);
        SetLinear(online, [11, 12], 13);

        ema.Update();

        // 0.9·1 + 0.1·11 = 2, 0.9·2 + 0.1·12 = 3, 0.9·3 + 0.1·13 = 4.
        var shadow = (TorchSharp.Modules.Linear)ema.Shadow;
        var weight = shadow.weight.data<float>().ToArray();
        Assert.Equal(2, weight[0], 1e-6);
        Assert.Equal(3, weight[1], 1e-6);
        Assert.Equal(4, shadow.bias!.item<float>(), 1e-6);
    }

    [Fact]
    public void APackedNetworkWhoseShadowKeepsAnotherLayoutIsAveragedParameterByParameter()
    {
        // The online kernel stored channels-last, the shadow's row-major: a flat update would pair the wrong elements.
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var online = Convolution2d.Create(3, 4, 2);
        using (no_grad())
            online.Weight.set_(online.Weight.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)); // whether or not oneDNN is off
        using var pack = Latent.Training.PackedParameters.Pack(online.parameters());
        using var shadowLayer = nn.Conv2d(3, 4, 2);
        using var ema = new ExponentialMovingAverage(online, shadowLayer, decay: 0.5);
        var start = online.Weight.detach().clone();
        using (no_grad())
            online.Weight.add_(1);

        ema.Update();

        var shadowWeight = shadowLayer.weight!;
        Assert.False(online.Weight.is_contiguous());
        Assert.True(shadowWeight.is_contiguous());
        Assert.True(shadowWeight.allclose(start + 0.5, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void BuffersAreCopiedNotAveraged()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var spec = new MlpSpec([3, 4, 1], BatchNorm: true);
        using var online = new Mlp(spec);
        using var ema = new ExponentialMovingAverage(online, new Mlp(spec), decay: 0.99);
        online.call(randn(8, 3) + 5); // training mode: BatchNorm updates its running statistics

        ema.Update();

        var onlineBuffers = online.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        var shadowBuffers = ema.Shadow.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        Assert.Equal(onlineBuffers.Keys, shadowBuffers.Keys);
        foreach (var (name, buffer) in onlineBuffers)
            Assert.True(shadowBuffers[name].Equals(buffer), name);
    }

    [Fact]
    public void DecayZeroMakesTheShadowACopy()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var online = nn.Linear(2, 1);
        using var ema = new ExponentialMovingAverage(online, nn.Linear(2, 1), decay: 0);
        SetLinear(online, [5, 6], 7);

        ema.Update();

        Assert.Equal(new float[] { 5, 6 }, ((TorchSharp.Modules.Linear)ema.Shadow).weight.data<float>().ToArray());
    }

    [Fact]
    public void MismatchedShapeIsRefusedNamingTheParameter()
    {
        LatentRuntime.EnsureLoaded();
        using var online = nn.Linear(2, 1);
        using var shadow = nn.Linear(3, 1);

        var error = Assert.Throws<ArgumentException>(() => new ExponentialMovingAverage(online, shadow));
        Assert.Contains("'weight' is [1, 3], expected [1, 2]", error.Message);
    }

    [Fact]
    public void MismatchedNamesAreRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var online = new Mlp(new MlpSpec([3, 4, 1], BatchNorm: true));
        using var shadow = new Mlp(new MlpSpec([3, 4, 1]));

        var error = Assert.Throws<ArgumentException>(() => new ExponentialMovingAverage(online, shadow));
        Assert.Contains("no parameter 'layers.batchnorm0.weight'", error.Message);
    }

    [Fact]
    public void TheNetworkItselfIsRefusedAsItsShadow()
    {
        LatentRuntime.EnsureLoaded();
        using var online = nn.Linear(2, 1);
        Assert.Throws<ArgumentException>(() => new ExponentialMovingAverage(online, online));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    public void DecayOutsideZeroToOneIsRefused(double decay)
    {
        LatentRuntime.EnsureLoaded();
        using var online = nn.Linear(2, 1);
        using var shadow = nn.Linear(2, 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(online, shadow, decay));
        Assert.Equal("decay", error.ParamName);
    }

    [Fact]
    public void UpdateLeavesNoLiveTensorsBehind()
    {
        LatentRuntime.EnsureLoaded();
        using var online = new Mlp(new MlpSpec([3, 8, 1], BatchNorm: true));
        using var ema = new ExponentialMovingAverage(online, new Mlp(new MlpSpec([3, 8, 1], BatchNorm: true)));
        ema.Update();
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (int i = 0; i < 20; i++)
            ema.Update();

        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    private static void SetLinear(TorchSharp.Modules.Linear linear, float[] weight, float bias)
    {
        using (no_grad())
        {
            linear.weight.copy_(tensor(weight).unsqueeze(0));
            linear.bias!.fill_(bias);
        }
    }
}
