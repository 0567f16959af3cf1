using Latent.Nets;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

public class ConvEncoderTests
{
    [Theory]
    [InlineData(28, 1, 2)]
    [InlineData(28, 3, 2)]
    [InlineData(32, 1, 3)]
    [InlineData(32, 3, 3)]
    [InlineData(64, 1, 4)]
    [InlineData(64, 3, 4)]
    public void MapsImagesAndFlatRowsAlikeToOutputs(int size, int channels, int downsamples)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var encoder = new ConvEncoder(new ConvEncoderSpec(size, channels, Outputs: 6, Width: 4, Downsamples: downsamples));
        var images = randn(3, channels, size, size);

        var codes = encoder.call(images);

        Assert.Equal(new long[] { 3, 6 }, codes.shape);
        Assert.True(codes.Equals(encoder.call(images.flatten(1))));
    }

    [Fact]
    public void At28PixelsTwoDownsamplesEndAt7By7()
    {
        LatentRuntime.EnsureLoaded();
        using var encoder = new ConvEncoder(new ConvEncoderSpec(28, 1, Outputs: 20, Activation: Activation.LeakyReLU, BatchNorm: true));

        Assert.Equal(
            new[]
            {
                "Conv(1, 32, 4, 2, 1)", "BN(32)", "LeakyReLU(0.2)",
                "Conv(32, 64, 4, 2, 1)", "BN(64)", "LeakyReLU(0.2)",
                "Flatten", "Linear(3136, 20, bias)",
            },
            LayerList.Of(encoder));
    }

    [Fact]
    public void WithoutBatchNormConvolutionsHaveBiases()
    {
        LatentRuntime.EnsureLoaded();
        using var encoder = new ConvEncoder(new ConvEncoderSpec(32, 3, Outputs: 8, Width: 8, Downsamples: 3));

        Assert.Equal(
            new[] { "Conv(3, 8, 4, 2, 1, bias)", "ReLU", "Conv(8, 16, 4, 2, 1, bias)", "ReLU", "Conv(16, 32, 4, 2, 1, bias)", "ReLU", "Flatten", "Linear(512, 8, bias)" },
            LayerList.Of(encoder));
    }

    [Fact]
    public void ImageSizeNotDivisibleByTheDownsamplingIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        var error = Assert.Throws<ArgumentException>(() => new ConvEncoder(new ConvEncoderSpec(28, 1, Outputs: 4, Downsamples: 3)));
        Assert.Contains("ConvEncoderSpec.ImageSize is 28; expected a multiple of 2^ConvEncoderSpec.Downsamples = 2^3", error.Message);
    }

    [Fact]
    public void HeNormalUsesTheConvolutionsFanIn()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var encoder = new ConvEncoder(new ConvEncoderSpec(32, 1, Outputs: 4, Width: 64, Downsamples: 2, Init: Initializer.HeNormal));
        var weight = encoder.named_parameters().Single(p => p.name == "layers.conv1.weight").parameter;

        // Conv(64, 128, 4): fan_in = 64·4·4 = 1024, std √(2 / 1024); 131,072 weights.
        Assert.Equal(Math.Sqrt(2.0 / 1024), weight.std().item<float>(), 0.0005);
    }

    [Fact]
    public void WithAConvDecoderLearnsToReconstructBlobs()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var oneThread = new SingleThread();
        manual_seed(3);
        var images = Blobs(64);
        using var encoder = new ConvEncoder(new ConvEncoderSpec(28, 1, Outputs: 8, Width: 8));
        using var decoder = new ConvDecoder(new ConvDecoderSpec(8, 28, 1, Width: 8));
        using var optimizer = optim.Adam(encoder.parameters().Concat(decoder.parameters()), lr: 3e-3);
        double Error()
        {
            using var noGrad = no_grad();
            return nn.functional.mse_loss(decoder.call(encoder.call(images)), images).item<float>();
        }
        double before = Error();
        // The best single image for all (the mean): what an autoencoder that ignores its code reaches.
        double meanImage = nn.functional.mse_loss(images.mean([0], keepdim: true).expand_as(images), images).item<float>();

        // Trained on BCE, the sigmoid decoder's usual loss: under MSE a saturated sigmoid can stall at all-black images.
        for (int step = 0; step < 200; step++)
        {
            using var stepScope = NewDisposeScope();
            var loss = nn.functional.binary_cross_entropy(decoder.call(encoder.call(images)), images);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        double after = Error();
        Assert.True(after < before / 5, $"MSE {before:F4} → {after:F4}");
        Assert.True(after < meanImage / 2, $"MSE {after:F4}; the mean image gives {meanImage:F4}");
    }

    /// <summary>28×28 images in [0, 1], each a Gaussian blob (σ = 3 px) centred at a random point of [6, 22]².</summary>
    internal static Tensor Blobs(int count)
    {
        var centres = rand(count, 2, 1, 1) * 16 + 6;
        var grid = arange(28, dtype: ScalarType.Float32);
        var dy = grid.view(1, 28, 1) - centres[.., 0];
        var dx = grid.view(1, 1, 28) - centres[.., 1];
        return exp(-(dy.square() + dx.square()) / (2 * 9)).unsqueeze(1);
    }
}
