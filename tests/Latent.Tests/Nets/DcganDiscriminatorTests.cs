using Latent.Nets;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

public class DcganDiscriminatorTests
{
    [Theory]
    [InlineData(28, 1)]
    [InlineData(28, 3)]
    [InlineData(32, 1)]
    [InlineData(32, 3)]
    [InlineData(64, 1)]
    [InlineData(64, 3)]
    [InlineData(8, 2)]
    public void ScoresImagesAndFlatRowsAlikeOneRawValueEach(int size, int channels)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var discriminator = new DcganDiscriminator(new DcganDiscriminatorSpec(size, channels, Width: 4));
        discriminator.eval();
        var images = randn(3, channels, size, size) * 50;

        var scores = discriminator.call(images);

        Assert.Equal(new long[] { 3, 1 }, scores.shape);
        Assert.True(scores.Equals(discriminator.call(images.flatten(1))));
        // No sigmoid: confident scores leave (0, 1).
        Assert.DoesNotContain(discriminator.modules(), m => m is TorchSharp.Modules.Sigmoid);
    }

    [Fact]
    public void At32PixelsTheLayersMirrorTheGenerator()
    {
        LatentRuntime.EnsureLoaded();
        using var discriminator = new DcganDiscriminator(new DcganDiscriminatorSpec(32, 1));

        Assert.Equal(
            new[]
            {
                "Conv(1, 64, 4, 2, 1)", "LeakyReLU(0.2)",
                "Conv(64, 128, 4, 2, 1)", "BN(128)", "LeakyReLU(0.2)",
                "Conv(128, 256, 4, 2, 1)", "BN(256)", "LeakyReLU(0.2)",
                "Conv(256, 1, 4, 1, 0)",
            },
            LayerList.Of(discriminator));
    }

    [Fact]
    public void At64PixelsTheChannelsAreThoseOfTheTutorial()
    {
        LatentRuntime.EnsureLoaded();
        using var discriminator = new DcganDiscriminator(new DcganDiscriminatorSpec(64, 3));

        var convolutions = LayerList.Of(discriminator).Where(l => l.StartsWith("Conv")).ToArray();

        Assert.Equal(
            new[] { "Conv(3, 64, 4, 2, 1)", "Conv(64, 128, 4, 2, 1)", "Conv(128, 256, 4, 2, 1)", "Conv(256, 512, 4, 2, 1)", "Conv(512, 1, 4, 1, 0)" },
            convolutions);
    }

    [Fact]
    public void At28PixelsTheHeadReadsA7By7Map()
    {
        LatentRuntime.EnsureLoaded();
        using var discriminator = new DcganDiscriminator(new DcganDiscriminatorSpec(28, 1, Width: 8));

        Assert.Equal(
            new[] { "Conv(1, 8, 4, 2, 1)", "LeakyReLU(0.2)", "Conv(8, 16, 4, 2, 1)", "BN(16)", "LeakyReLU(0.2)", "Conv(16, 1, 7, 1, 0)" },
            LayerList.Of(discriminator));
    }

    [Fact]
    public void WithoutBatchNormTheCriticHasNoBatchNormAndBiasedConvolutions()
    {
        LatentRuntime.EnsureLoaded();
        using var critic = new DcganDiscriminator(new DcganDiscriminatorSpec(32, 1, Width: 8, BatchNorm: false));

        Assert.Equal(
            new[]
            {
                "Conv(1, 8, 4, 2, 1, bias)", "LeakyReLU(0.2)", "Conv(8, 16, 4, 2, 1, bias)", "LeakyReLU(0.2)",
                "Conv(16, 32, 4, 2, 1, bias)", "LeakyReLU(0.2)", "Conv(32, 1, 4, 1, 0, bias)",
            },
            LayerList.Of(critic));
    }

    [Fact]
    public void WithoutBatchNormEachScoreDependsOnlyOnItsOwnImage()
    {
        // The WGAN-GP penalty differentiates each score with respect to its own image; BatchNorm would mix the batch.
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var critic = new DcganDiscriminator(new DcganDiscriminatorSpec(16, 1, Width: 4, BatchNorm: false));
        var batch = randn(4, 1, 16, 16);

        var alone = critic.call(batch[0..1]);
        var together = critic.call(batch)[0..1];

        Assert.True(alone.allclose(together, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void FeaturesAreTheFlattenedEndMap()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(3);
        var spec = new DcganDiscriminatorSpec(32, 3, Width: 8, MinibatchStdDev: true);
        using var discriminator = new DcganDiscriminator(spec);
        IFeatureExtractor extractor = discriminator;

        var features = extractor.Features(randn(5, 3, 32, 32));

        // 8·2² = 32 channels on 4×4, before the minibatch stddev channel.
        Assert.Equal(new long[] { 5, 32 * 4 * 4 }, features.shape);
    }

    [Fact]
    public void DcganInitDrawsConvolutionsFromN0002AndBatchNormAroundOne()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var discriminator = new DcganDiscriminator(new DcganDiscriminatorSpec(64, 3));
        var parameters = discriminator.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        // Conv(256, 512, 4, 2, 1) has 2,097,152 weights.
        var weight = parameters["body.conv3.weight"];
        Assert.Equal(0.02, weight.std().item<float>(), 0.0002);
        Assert.Equal(0.0, weight.mean().item<float>(), 0.0001);
        // The head, 8192 weights: std 0.02 ± 0.00016 (one standard error).
        Assert.Equal(0.02, parameters["head.weight"].std().item<float>(), 0.001);
        // 128 + 256 + 512 = 896 BatchNorm weights.
        var gammas = cat(parameters.Where(p => p.Key.Contains("batchnorm") && p.Key.EndsWith("weight")).Select(p => (Tensor)p.Value).ToArray());
        Assert.Equal(896, gammas.numel());
        Assert.Equal(1.0, gammas.mean().item<float>(), 0.003);
        Assert.Equal(0.02, gammas.std().item<float>(), 0.002);
        Assert.All(parameters.Where(p => p.Key.EndsWith("bias")), p => Assert.Equal(0f, p.Value.abs().max().item<float>()));
    }

    [Fact]
    public void SpectralNormHoldsEveryConvolutionsLargestSingularValueAtOne()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var oneThread = new SingleThread();
        manual_seed(5);
        using var discriminator = new DcganDiscriminator(new DcganDiscriminatorSpec(32, 1, Width: 8, SpectralNorm: true));
        var x = randn(8, 1, 32, 32);

        for (int i = 0; i < 100; i++)
            discriminator.call(x);

        var layers = discriminator.modules().OfType<SpectralNorm>().ToArray();
        Assert.Equal(4, layers.Length);
        foreach (var layer in layers)
        {
            var weight = layer.EffectiveWeight();
            double sigma = linalg.svdvals(weight.reshape(weight.shape[0], -1))[0].item<float>();
            Assert.Equal(1.0, sigma, 1e-2);
        }
    }

    [Fact]
    public void MinibatchStdDevGivesTheLastConvolutionOneMoreInputChannel()
    {
        LatentRuntime.EnsureLoaded();
        using var discriminator = new DcganDiscriminator(new DcganDiscriminatorSpec(32, 1, Width: 8, MinibatchStdDev: true));

        var head = discriminator.named_parameters().Single(p => p.name == "head.weight").parameter;

        // The body ends with 8·2² = 32 channels; the spread adds the 33rd.
        Assert.Equal(new long[] { 1, 33, 4, 4 }, head.shape);
    }

    [Fact]
    public void MinibatchStdDevTellsACollapsedBatchFromAVariedOne()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(6);
        var spec = new DcganDiscriminatorSpec(16, 1, Width: 4, BatchNorm: false, MinibatchStdDev: true, Init: Initializer.HeNormal);
        using var discriminator = new DcganDiscriminator(spec);
        using var plain = new DcganDiscriminator(spec with { MinibatchStdDev = false });
        var varied = randn(8, 1, 16, 16);
        var collapsed = varied[0..1].expand(8, 1, 16, 16);

        // Without BatchNorm the same first image scores the same in any batch, except through the spread channel.
        float inVaried = discriminator.call(varied)[0, 0].item<float>();
        float inCollapsed = discriminator.call(collapsed)[0, 0].item<float>();
        Assert.True(Math.Abs(inVaried - inCollapsed) > 1e-3 * Math.Max(1, Math.Abs(inVaried)), $"{inVaried} vs {inCollapsed}");
        Assert.Equal(plain.call(varied)[0, 0].item<float>(), plain.call(collapsed)[0, 0].item<float>(), 1e-5);
    }

    [Fact]
    public void MinibatchDiscriminationHeadReadsTheFlattenedConvFeatures()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(7);
        var spec = new DcganDiscriminatorSpec(28, 1, Width: 4, MinibatchDiscrimination: new MinibatchDiscriminationSpec(Kernels: 5, KernelDim: 3));
        using var discriminator = new DcganDiscriminator(spec);
        var shapes = discriminator.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

        var scores = discriminator.call(randn(6, 1, 28, 28));

        // 8 channels on 7×7 = 392 features, then 5 closeness features, then one score.
        Assert.Equal(new long[] { 392, 15 }, shapes["minibatch_discrimination.weight"]);
        Assert.Equal(new long[] { 1, 397 }, shapes["head.weight"]);
        Assert.Equal(new long[] { 6, 1 }, scores.shape);
        Assert.Contains(discriminator.modules(), m => m is Convolution2d);
        Assert.DoesNotContain(discriminator.modules(), m => m is Convolution2d c && c.OutChannels == 1);
    }

    [Fact]
    public void UnsupportedImageSizeIsRefusedNamingTheSupportedOnes()
    {
        LatentRuntime.EnsureLoaded();
        var error = Assert.Throws<ArgumentException>(() => new DcganDiscriminator(new DcganDiscriminatorSpec(100, 3)));
        Assert.Contains("DcganDiscriminatorSpec.ImageSize is 100; expected 28 or a power of two ≥ 8", error.Message);
    }

    [Fact]
    public void ImagesOfTheWrongSizeAreRefusedWithBothShapes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var discriminator = new DcganDiscriminator(new DcganDiscriminatorSpec(32, 1, Width: 2));

        var error = Assert.Throws<ArgumentException>(() => discriminator.call(randn(2, 1, 28, 28)));

        Assert.Contains("[2, 1, 28, 28]", error.Message);
        Assert.Contains("[N, 1, 32, 32]", error.Message);
    }

    [Fact]
    public void LearnsToTellBrightTopHalvesFromBrightBottomHalves()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var oneThread = new SingleThread();
        manual_seed(8);
        using var discriminator = new DcganDiscriminator(new DcganDiscriminatorSpec(28, 1, Width: 8));
        using var optimizer = optim.Adam(discriminator.parameters(), lr: 2e-4, beta1: 0.5);

        for (int step = 0; step < 300; step++)
        {
            using var stepScope = NewDisposeScope();
            var (images, labels) = HalfBrightImages(32);
            var loss = nn.functional.binary_cross_entropy_with_logits(discriminator.call(images), labels);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        discriminator.eval();
        using (no_grad())
        {
            var (images, labels) = HalfBrightImages(400);
            var predictions = (discriminator.call(images) > 0).to_type(ScalarType.Float32);
            double accuracy = (predictions == labels).to_type(ScalarType.Float32).mean().item<float>();
            Assert.True(accuracy > 0.95, $"accuracy {accuracy:F3}");
        }
    }

    /// <summary>
    /// Noisy 28×28 images in [−1, 1] whose top (label 1) or bottom (label 0) half is brighter by 0.5 on average; the
    /// bright half's height varies from 10 to 18 rows so that no single pixel gives the class away.
    /// </summary>
    private static (Tensor Images, Tensor Labels) HalfBrightImages(int count)
    {
        var labels = randint(0, 2, [count, 1]).to_type(ScalarType.Float32);
        var rows = arange(28, dtype: ScalarType.Float32).view(1, 1, 28, 1);
        var edge = randint(10, 19, [count, 1, 1, 1]).to_type(ScalarType.Float32);
        var top = (rows < edge).to_type(ScalarType.Float32);
        var bright = labels.view(count, 1, 1, 1) * top + (1 - labels.view(count, 1, 1, 1)) * (1 - top);
        var images = (randn(count, 1, 28, 28) * 0.5 + bright * 0.5 - 0.25).clamp(-1, 1);
        return (images, labels);
    }
}
