using Latent.Data;
using Latent.Models;
using Latent.Models.Losses;
using Latent.Models.Regularizers;
using Latent.Nets;
using Latent.Runtime;
using Latent.Tests.Evaluation;
using Latent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

/// <summary>
/// The GAN's stabilizers that live in the training step (feature matching, learning-rate decay, the gradient penalty of
/// a conditional critic) work with DCGAN's convolutional nets as they do with perceptrons.
/// </summary>
public class ConvGanStabilizerTests
{
    private const int Latent = 16;

    /// <summary>A fixed batch of 28 × 28 images, handed out on every draw, with labels 0, 1, 0, 1, ….</summary>
    private sealed class FixedImages(Tensor images) : IBatchSource
    {
        public Batch Next() => new(images.alias(), arange(images.shape[0], dtype: int64).remainder(2));
    }

    private static (DcganGenerator Generator, DcganDiscriminator Discriminator) Nets() =>
        (new DcganGenerator(new DcganGeneratorSpec(Latent, 28, 1, Width: 8)),
         new DcganDiscriminator(new DcganDiscriminatorSpec(28, 1, Width: 8)));

    [Fact]
    public void FeatureMatchingOnADcganDiscriminatorIsTheSquaredDistanceOfMeanConvFeatures()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(11);
        var (generator, discriminator) = Nets();
        using var noise = new Generator(5);
        // Learning rates of 1e-30 keep every weight, so the figure can be recomputed from the same batch and codes.
        using var gan = new Gan(generator, discriminator, new NonSaturatingLoss(),
                                optim.SGD(generator.parameters(), 1e-30), optim.SGD(discriminator.parameters(), 1e-30),
                                noise, new GanOptions { LatentDim = Latent, FeatureMatchingWeight = 1 });
        var real = rand(8, 1, 28, 28) * 2 - 1;
        var state = noise.get_state();

        double figure = gan.TrainStep(new FixedImages(real))["feature_matching"];

        noise.set_state(state);
        _ = randn([8, Latent], generator: noise); // the critic step's codes
        var z = randn([8, Latent], generator: noise); // the generator half's codes
        double expected;
        using (no_grad())
            expected = (discriminator.Features(real).mean([0]) - discriminator.Features(generator.call(z)).mean([0])).square().sum().item<float>();
        Assert.Equal(2 * 8 * 7 * 7, discriminator.Features(real).shape[1]); // the last hidden block: 2W channels at 7 × 7
        Assert.True(expected > 0);
        RelativeAssert.Close(expected, figure, 1e-4);
    }

    [Fact]
    public void LearningRateDecayHalvesBothDcganOptimizersOnSchedule()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(12);
        var (generator, discriminator) = Nets();
        using var noise = new Generator(6);
        using var gan = new Gan(generator, discriminator, new NonSaturatingLoss(),
                                optim.Adam(generator.parameters(), 2e-4, 0.5, 0.999), optim.Adam(discriminator.parameters(), 4e-4, 0.5, 0.999),
                                noise, new GanOptions { LatentDim = Latent });

        var last = new Trainer([new LearningRateDecay(0.5, every: 2)]).Fit(gan, new FixedImages(rand(8, 1, 28, 28) * 2 - 1), steps: 5);

        Assert.True(double.IsFinite(last["d_loss"]) && double.IsFinite(last["g_loss"]));
        Assert.Equal(2e-4 * 0.25, gan.Optimizers["generator"].ParamGroups.First().LearningRate, 1e-12);
        Assert.Equal(4e-4 * 0.25, gan.Optimizers["discriminator"].ParamGroups.First().LearningRate, 1e-12);
    }

    [Fact]
    public void ConditionalDcganCriticTakesTheGradientPenaltyThroughItsLabelChannel()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(13);
        // The critic reads the label as one more input plane: a second channel, an embedding of 28 · 28 values.
        var generator = new LabelConditioned(new DcganGenerator(new DcganGeneratorSpec(Latent + 4, 28, 1, Width: 8)), classes: 2, embeddingDim: 4);
        var critic = new LabelConditioned(new DcganDiscriminator(new DcganDiscriminatorSpec(28, Channels: 2, Width: 8, BatchNorm: false)),
                                          classes: 2, embeddingDim: 28 * 28, LabelJoin.Channel);
        using var noise = new Generator(7);
        using var gan = new Gan(generator, critic, classes: 2, new WassersteinLoss(),
                                optim.Adam(generator.parameters(), 1e-4, 0, 0.9), optim.Adam(critic.parameters(), 1e-4, 0, 0.9),
                                noise, new GanOptions { LatentDim = Latent, CriticSteps = 2, Regularizers = [new GradientPenalty(10)] });
        var embeddingBefore = critic.named_parameters().Single(p => p.name == "embedding.weight").parameter.clone();

        var metrics = gan.TrainStep(new FixedImages(rand(8, 1, 28, 28) * 2 - 1));

        Assert.True(metrics["gp"] > 0 && double.IsFinite(metrics["gp"]));
        // The label plane is part of the critic: the critic's update moved its embedding.
        Assert.False(critic.named_parameters().Single(p => p.name == "embedding.weight").parameter.allclose(embeddingBefore));
        Assert.Equal([6L, 1, 28, 28], gan.SampleClasses(tensor(new long[] { 0, 1, 0, 1, 0, 1 })).shape);
    }
}
