using Latent.Nets;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

public class ConvDecoderTests
{
    [Theory]
    [InlineData(28, 1, 2)]
    [InlineData(28, 3, 2)]
    [InlineData(32, 1, 3)]
    [InlineData(32, 3, 3)]
    [InlineData(64, 1, 4)]
    [InlineData(64, 3, 4)]
    public void MapsCodesToImagesInZeroOne(int size, int channels, int upsamples)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var decoder = new ConvDecoder(new ConvDecoderSpec(5, size, channels, Width: 4, Upsamples: upsamples));

        var images = decoder.call(randn(3, 5) * 10);

        Assert.Equal(new long[] { 3, channels, size, size }, images.shape);
        Assert.True(images.min().item<float>() >= 0 && images.max().item<float>() <= 1);
    }

    [Fact]
    public void At28PixelsTheLinearFillsA7By7Map()
    {
        LatentRuntime.EnsureLoaded();
        using var decoder = new ConvDecoder(new ConvDecoderSpec(20, 28, 1));

        Assert.Equal(
            new[] { "Linear(20, 3136, bias)", "Unflatten", "ReLU", "ConvT(64, 32, 4, 2, 1, bias)", "ReLU", "ConvT(32, 1, 4, 2, 1, bias)", "Sigmoid" },
            LayerList.Of(decoder));
    }

    [Fact]
    public void BatchNormFollowsEveryHiddenLayerButNotTheOutput()
    {
        LatentRuntime.EnsureLoaded();
        using var decoder = new ConvDecoder(new ConvDecoderSpec(16, 32, 3, Width: 8, Upsamples: 3, Output: Activation.Tanh, BatchNorm: true));

        Assert.Equal(
            new[]
            {
                "Linear(16, 512)", "Unflatten", "BN(32)", "ReLU",
                "ConvT(32, 16, 4, 2, 1)", "BN(16)", "ReLU",
                "ConvT(16, 8, 4, 2, 1)", "BN(8)", "ReLU",
                "ConvT(8, 3, 4, 2, 1, bias)", "Tanh",
            },
            LayerList.Of(decoder));
    }

    [Fact]
    public void FlatOutputMatchesFlatDataRows()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var square = new ConvDecoder(new ConvDecoderSpec(4, 28, 1, Width: 4));
        manual_seed(2);
        using var flat = new ConvDecoder(new ConvDecoderSpec(4, 28, 1, Width: 4, FlatOutput: true));
        var z = randn(3, 4);

        var rows = flat.call(z);

        Assert.Equal(new long[] { 3, 784 }, rows.shape);
        Assert.True(rows.Equals(square.call(z).flatten(1)));
    }

    [Fact]
    public void CodesOfTheWrongWidthAreRefusedWithBothShapes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var decoder = new ConvDecoder(new ConvDecoderSpec(4, 8, 1, Width: 2, Upsamples: 1));

        var error = Assert.Throws<ArgumentException>(() => decoder.call(randn(2, 5)));

        Assert.Contains("[2, 5]", error.Message);
        Assert.Contains("[N, 4]", error.Message);
    }

    [Fact]
    public void ImageSizeNotDivisibleByTheUpsamplingIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        var error = Assert.Throws<ArgumentException>(() => new ConvDecoder(new ConvDecoderSpec(4, 30, 1, Upsamples: 2)));
        Assert.Contains("ConvDecoderSpec.ImageSize is 30; expected a multiple of 2^ConvDecoderSpec.Upsamples = 2^2", error.Message);
    }
}
