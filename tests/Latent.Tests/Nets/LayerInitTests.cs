using Latent.Nets;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

public class LayerInitTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TransposedConvolutionsTakeFanInFromTheirInputChannels(bool latentsLayer)
    {
        // ConvTranspose2d(200, 50, 4) stores its weight as (in, out, k, k) = (200, 50, 4, 4): fan_in = 200·16 = 3200.
        // Reading the shape as (out, in, …), as for Conv2d, would give fan_in = 800 and twice the std.
        // Latent's Convolution2d keeps torch.nn's layout, and LayerInit must read it the same way.
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(1);
        using nn.Module layer = latentsLayer ? Convolution2d.CreateTransposed(200, 50, 4) : nn.ConvTranspose2d(200, 50, 4);

        LayerInit.Apply(layer, Initializer.HeNormal);

        var parameters = layer.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(Math.Sqrt(2.0 / 3200), parameters["weight"].std().item<float>(), 0.0003);
        Assert.Equal(0f, parameters["bias"].abs().max().item<float>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AKernelStoredChannelsLastDrawsTheValuesTorchNnsDraws(bool transposed)
    {
        // Where convolutions run as one GEMM, Convolution2d stores its kernel channels-last; libtorch's normal_ would fill
        // it in memory order, another order than torch.nn's contiguous kernel gets for the same seed.
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(9);
        using var latent = transposed ? Convolution2d.CreateTransposed(16, 8, 4) : Convolution2d.Create(16, 8, 4);
        LayerInit.Apply(latent, Initializer.DcganNormal);
        manual_seed(9);
        using nn.Module torchLayer = transposed ? nn.ConvTranspose2d(16, 8, 4) : nn.Conv2d(16, 8, 4);
        LayerInit.Apply(torchLayer, Initializer.DcganNormal);

        var expected = torchLayer.named_parameters().Single(p => p.name == "weight").parameter;
        Assert.Equal(Convolution2d.UsesOneGemm, !latent.Weight.is_contiguous());
        Assert.True(latent.Weight.Equals(expected));
    }

    [Fact]
    public void XavierNormalOnAConvolutionCountsTheKernel()
    {
        // Conv2d(32, 64, 3): fan_in = 32·9 = 288, fan_out = 64·9 = 576, Var = 2 / 864.
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var layer = nn.Conv2d(32, 64, 3);

        LayerInit.Apply(layer, Initializer.XavierNormal);

        Assert.Equal(Math.Sqrt(2.0 / 864), layer.weight.std().item<float>(), 0.001);
    }

    [Fact]
    public void DcganNormalDrawsBatchNorm2dWeightsAroundOneAndZeroBias()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var layer = nn.BatchNorm2d(20_000);

        LayerInit.Apply(layer, Initializer.DcganNormal);

        // 20,000 draws: mean 1 ± 0.00014 and std 0.02 ± 0.0001 (one standard error).
        Assert.Equal(1.0, layer.weight.mean().item<float>(), 0.0006);
        Assert.Equal(0.02, layer.weight.std().item<float>(), 0.0004);
        Assert.Equal(0f, layer.bias!.abs().max().item<float>());
    }

    [Fact]
    public void OtherInitializersLeaveBatchNormAtOneAndZero()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = nn.BatchNorm2d(8);

        LayerInit.Apply(layer, Initializer.HeNormal);

        Assert.True(layer.weight.Equals(ones(8)));
    }

    [Fact]
    public void DefaultKeepsLibtorchsUniformDraw()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var layer = nn.Conv2d(16, 8, 3);
        var before = layer.weight.clone();

        LayerInit.Apply(layer, Initializer.Default);

        Assert.True(layer.weight.Equals(before));
    }
}
