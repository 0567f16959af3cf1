using Latent.Data.Images;
using Latent.Models;
using Latent.Nets;
using Latent.Runtime;
using Latent.Tests.Data.Images;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

public class ConvolutionalVaeTests
{
    private const int Latent = 3;

    [Fact]
    public void EncodeGivesOneCodePerImageAndReconstructGivesImagesInTheUnitRange()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        var encoder = new ConvEncoder(new ConvEncoderSpec(8, 1, 2 * Latent, Width: 4));
        var decoder = new ConvDecoder(new ConvDecoderSpec(Latent, 8, 1, Width: 4));
        using var vae = new VariationalAutoencoder(encoder, decoder, optim.Adam(encoder.parameters().Concat(decoder.parameters())), Latent,
                                                   ReconstructionLoss.SumBinaryCrossEntropy, random.Noise);
        using var scope = NewDisposeScope();
        var x = Images(6);

        var codes = vae.Encode(x);
        var reconstructions = vae.Reconstruct(x);
        var samples = vae.Sample(5);

        Assert.Equal([6L, Latent], codes.shape);
        Assert.Equal([6L, 1, 8, 8], reconstructions.shape);
        Assert.True(reconstructions.min().item<float>() >= 0 && reconstructions.max().item<float>() <= 1);
        Assert.Equal([5L, 1, 8, 8], samples.shape);
        Assert.False(codes.requires_grad);
        var (reconstruction, kl) = vae.EvaluateElbo(x, null, new Generator(1));
        Assert.True(double.IsFinite(reconstruction) && reconstruction > 0, $"reconstruction {reconstruction}");
        Assert.True(double.IsFinite(kl) && kl >= 0, $"kl {kl}");
    }

    [Fact]
    public void InterpolateTakesSingleGreyImagesOfShapeChannelsHeightWidth()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        var encoder = new ConvEncoder(new ConvEncoderSpec(8, 1, 2 * Latent, Width: 4));
        var decoder = new ConvDecoder(new ConvDecoderSpec(Latent, 8, 1, Width: 4));
        using var vae = new VariationalAutoencoder(encoder, decoder, optim.Adam(encoder.parameters().Concat(decoder.parameters())), Latent,
                                                   ReconstructionLoss.SumBinaryCrossEntropy, random.Noise);
        using var scope = NewDisposeScope();
        var x = Images(2);

        // x[0] is one image, (C, H, W) = (1, 8, 8), which the documentation says becomes (1, C, H, W); a batch of one,
        // (1, 1, 8, 8), gives the same path.
        var fromImages = vae.Interpolate(x[0], x[1], 4);
        var fromBatches = vae.Interpolate(x[0..1], x[1..2], 4);

        Assert.Equal([4L, 1, 8, 8], fromImages.shape);
        Assert.True(fromImages.Equals(fromBatches));
    }

    [Fact]
    public void AConditionalConvolutionalVaeReadsTheLabelAsAnExtraChannelAndDecodesWithIt()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        // The encoder sees the image and a label plane of 8 × 8 = 64 values; the decoder reads z joined to an embedding of 5.
        var encoder = new LabelConditioned(new ConvEncoder(new ConvEncoderSpec(8, 2, 2 * Latent, Width: 4)), 3, 64, LabelJoin.Channel);
        var decoder = new LabelConditioned(new ConvDecoder(new ConvDecoderSpec(Latent + 5, 8, 1, Width: 4)), 3, 5);
        using var vae = new VariationalAutoencoder(encoder, decoder, 3, optim.Adam(encoder.parameters().Concat(decoder.parameters())), Latent,
                                                   ReconstructionLoss.SumBinaryCrossEntropy, random.Noise);
        using var scope = NewDisposeScope();
        var x = Images(6);
        var labels = tensor(new long[] { 0, 1, 2, 0, 1, 2 });

        var codes = vae.Encode(x, labels);
        var reconstructions = vae.Reconstruct(x, labels);
        var samples = vae.SampleClasses(tensor(new long[] { 2, 2 }));

        Assert.Equal([6L, Latent], codes.shape);
        Assert.Equal([6L, 1, 8, 8], reconstructions.shape);
        Assert.Equal([2L, 1, 8, 8], samples.shape);
        // The label changes the code of the same image: the encoder reads it.
        var asZero = vae.Encode(x, zeros(6, dtype: int64));
        Assert.False(codes.Equals(asZero));
        // Interpolating between two images needs a class along the way; the conditional VAE says how to do it instead.
        var error = Assert.Throws<InvalidOperationException>(() => vae.Interpolate(x[0], x[1], 4));
        Assert.Contains("LatentSpace.Interpolate", error.Message);
    }

    [Fact]
    public void OneTrainingStepOnImageBatchesGivesFiniteFigures()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        var encoder = new ConvEncoder(new ConvEncoderSpec(8, 1, 2 * Latent, Width: 4));
        var decoder = new ConvDecoder(new ConvDecoderSpec(Latent, 8, 1, Width: 4));
        using var vae = new VariationalAutoencoder(encoder, decoder, optim.Adam(encoder.parameters().Concat(decoder.parameters())), Latent,
                                                   ReconstructionLoss.SumBinaryCrossEntropy, random.Noise);
        using var images = TinyImages.Dataset(12, classes: 3, side: 8);
        using var batches = new ImageBatches(images, ImagePreprocessing.Unit, 4, random.Data, CPU);
        using var scope = NewDisposeScope();

        var metrics = vae.TrainStep(batches);

        Assert.Equal(["loss", "recon", "kl", "kl_weight"], metrics.Values.Select(v => v.Key));
        Assert.All(metrics.Values, v => Assert.True(double.IsFinite(v.Value), v.Key));
        Assert.True(metrics["recon"] > 0);
    }

    /// <summary>Bar images scaled to [0, 1], (n, 1, 8, 8).</summary>
    private static Tensor Images(int n)
    {
        var (pixels, _) = TinyImages.Bars(n, classes: 3, side: 8, seed: 4);
        return ImagePreprocessing.Unit.Apply(pixels);
    }
}
