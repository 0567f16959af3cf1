using Latent.Models;
using Latent.Nets;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

public class DcganGeneratorTests
{
    [Theory]
    [InlineData(28, 1)]
    [InlineData(28, 3)]
    [InlineData(32, 1)]
    [InlineData(32, 3)]
    [InlineData(64, 1)]
    [InlineData(64, 3)]
    [InlineData(8, 2)]
    public void MapsLatentBatchesToImagesOfTheRequestedSizeAndChannels(int size, int channels)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var generator = new DcganGenerator(new DcganGeneratorSpec(10, size, channels, Width: 4));

        var images = generator.call(randn(3, 10));

        Assert.Equal(new long[] { 3, channels, size, size }, images.shape);
        // Tanh output.
        Assert.True(images.abs().max().item<float>() < 1);
    }

    [Fact]
    public void At32PixelsTheLayersAreThoseOfTheMnistDcgan()
    {
        LatentRuntime.EnsureLoaded();
        using var generator = new DcganGenerator(new DcganGeneratorSpec(100, 32, 1));

        Assert.Equal(
            new[]
            {
                "ConvT(100, 256, 4, 1, 0)", "BN(256)", "ReLU",
                "ConvT(256, 128, 4, 2, 1)", "BN(128)", "ReLU",
                "ConvT(128, 64, 4, 2, 1)", "BN(64)", "ReLU",
                "ConvT(64, 1, 4, 2, 1)", "Tanh",
            },
            LayerList.Of(generator));
    }

    [Fact]
    public void At64PixelsTheChannelsAreThoseOfTheTutorial()
    {
        LatentRuntime.EnsureLoaded();
        using var generator = new DcganGenerator(new DcganGeneratorSpec(100, 64, 3));

        var convolutions = LayerList.Of(generator).Where(l => l.StartsWith("ConvT")).ToArray();

        // ngf·8 → ngf·4 → ngf·2 → ngf → 3 with ngf = 64.
        Assert.Equal(
            new[] { "ConvT(100, 512, 4, 1, 0)", "ConvT(512, 256, 4, 2, 1)", "ConvT(256, 128, 4, 2, 1)", "ConvT(128, 64, 4, 2, 1)", "ConvT(64, 3, 4, 2, 1)" },
            convolutions);
    }

    [Fact]
    public void At28PixelsTheFirstLayerMakesA7By7Map()
    {
        LatentRuntime.EnsureLoaded();
        using var generator = new DcganGenerator(new DcganGeneratorSpec(16, 28, 1, Width: 8));

        Assert.Equal(
            new[] { "ConvT(16, 16, 7, 1, 0)", "BN(16)", "ReLU", "ConvT(16, 8, 4, 2, 1)", "BN(8)", "ReLU", "ConvT(8, 1, 4, 2, 1)", "Tanh" },
            LayerList.Of(generator));
    }

    [Fact]
    public void WithoutBatchNormEveryTransposedConvolutionHasABias()
    {
        LatentRuntime.EnsureLoaded();
        using var generator = new DcganGenerator(new DcganGeneratorSpec(16, 28, 1, Width: 8, BatchNorm: false, Output: Activation.None));

        Assert.Equal(
            new[] { "ConvT(16, 16, 7, 1, 0, bias)", "ReLU", "ConvT(16, 8, 4, 2, 1, bias)", "ReLU", "ConvT(8, 1, 4, 2, 1, bias)" },
            LayerList.Of(generator));
    }

    [Fact]
    public void CheckpointKeysNameTheLayers()
    {
        LatentRuntime.EnsureLoaded();
        using var generator = new DcganGenerator(new DcganGeneratorSpec(4, 8, 1, Width: 2));

        Assert.Equal(
            new[]
            {
                "layers.batchnorm0.bias", "layers.batchnorm0.num_batches_tracked", "layers.batchnorm0.running_mean",
                "layers.batchnorm0.running_var", "layers.batchnorm0.weight", "layers.convtranspose0.weight", "layers.convtranspose1.weight",
            },
            generator.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FlatAndSquareLatentsGiveTheSameImages()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var generator = new DcganGenerator(new DcganGeneratorSpec(6, 8, 1, Width: 4));
        generator.eval();
        var z = randn(4, 6);

        Assert.True(generator.call(z).Equals(generator.call(z.view(4, 6, 1, 1))));
    }

    [Fact]
    public void FlatOutputGivesRowsOfTheImagesPixels()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var square = new DcganGenerator(new DcganGeneratorSpec(6, 28, 3, Width: 4));
        manual_seed(3);
        using var flat = new DcganGenerator(new DcganGeneratorSpec(6, 28, 3, Width: 4, FlatOutput: true));
        var z = randn(2, 6);

        var rows = flat.call(z);

        Assert.Equal(new long[] { 2, 3 * 28 * 28 }, rows.shape);
        Assert.True(rows.Equals(square.call(z).flatten(1)));
    }

    [Fact]
    public void DcganInitDrawsConvolutionsFromN0002AndBatchNormAroundOne()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var generator = new DcganGenerator(new DcganGeneratorSpec(100, 64, 3));
        var parameters = generator.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        // The first layer has 100·512·4·4 = 819,200 weights.
        var weight = parameters["layers.convtranspose0.weight"];
        Assert.Equal(0.02, weight.std().item<float>(), 0.0004);
        Assert.Equal(0.0, weight.mean().item<float>(), 0.0002);
        // A normal puts 4.55% of its mass beyond 2σ; a uniform of the same std puts none there.
        Assert.Equal(0.0455, (weight.abs() > 0.04).to_type(ScalarType.Float32).mean().item<float>(), 0.002);

        // 512 + 256 + 128 + 64 = 960 BatchNorm weights: mean 1 ± 0.0007 and std 0.02 ± 0.0005 (one standard error).
        var gammas = cat(parameters.Where(p => p.Key.EndsWith("weight") && p.Key.Contains("batchnorm")).Select(p => (Tensor)p.Value).ToArray());
        Assert.Equal(960, gammas.numel());
        Assert.Equal(1.0, gammas.mean().item<float>(), 0.003);
        Assert.Equal(0.02, gammas.std().item<float>(), 0.002);
        var betas = parameters.Where(p => p.Key.EndsWith("bias")).Select(p => p.Value).ToArray();
        Assert.Equal(4, betas.Length);
        Assert.All(betas, b => Assert.Equal(0f, b.abs().max().item<float>()));
    }

    [Theory]
    [InlineData(30)]
    [InlineData(4)]
    [InlineData(48)]
    public void UnsupportedImageSizesAreRefusedNamingTheSupportedOnes(int size)
    {
        LatentRuntime.EnsureLoaded();
        var error = Assert.Throws<ArgumentException>(() => new DcganGenerator(new DcganGeneratorSpec(100, size, 1)));
        Assert.Contains($"ImageSize is {size}", error.Message);
        Assert.Contains("28 or a power of two ≥ 8", error.Message);
    }

    [Fact]
    public void ZeroChannelsAreRefusedNamingTheField()
    {
        LatentRuntime.EnsureLoaded();
        var error = Assert.Throws<ArgumentException>(() => new DcganGenerator(new DcganGeneratorSpec(100, 32, 0)));
        Assert.Contains("DcganGeneratorSpec.Channels is 0; expected ≥ 1", error.Message);
    }

    [Fact]
    public void ALatentOfTheWrongWidthIsRefusedWithBothShapes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var generator = new DcganGenerator(new DcganGeneratorSpec(6, 8, 1, Width: 2));

        var error = Assert.Throws<ArgumentException>(() => generator.call(randn(3, 5)));

        Assert.Contains("[3, 5]", error.Message);
        Assert.Contains("[N, 6]", error.Message);
    }

    [Fact]
    public void EmaAveragesTheWeightsAndCopiesBatchNormStatistics()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(5);
        var spec = new DcganGeneratorSpec(8, 8, 1, Width: 4);
        using var online = new DcganGenerator(spec);
        using var ema = new ExponentialMovingAverage(online, new DcganGenerator(spec), decay: 0.9);
        var shadow = ema.Shadow.state_dict();
        var before = shadow.ToDictionary(e => e.Key, e => e.Value.clone());

        // One training step: the forward pass moves BatchNorm's running statistics, the optimizer the weights.
        using var optimizer = optim.Adam(online.parameters(), lr: 0.01);
        online.call(randn(16, 8)).square().mean().backward();
        optimizer.step();
        ema.Update();

        var after = online.state_dict();
        foreach (var key in new[] { "layers.convtranspose0.weight", "layers.convtranspose1.weight", "layers.batchnorm0.weight" })
        {
            Assert.False(after[key].allclose(before[key]), $"{key} did not move in training");
            Assert.True(shadow[key].allclose(0.9 * before[key] + 0.1 * after[key], rtol: 1e-5, atol: 1e-7), key);
        }
        foreach (var key in new[] { "layers.batchnorm0.running_mean", "layers.batchnorm0.running_var", "layers.batchnorm0.num_batches_tracked" })
        {
            Assert.False(after[key].Equals(before[key]), $"{key} did not move in training");
            Assert.True(shadow[key].Equals(after[key]), key);
        }
    }
}
