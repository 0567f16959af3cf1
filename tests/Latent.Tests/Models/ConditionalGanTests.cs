using Latent.Models;
using Latent.Models.Losses;
using Latent.Nets;
using Latent.Runtime;
using Latent.Tests.Training;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

public class ConditionalGanTests
{
    [Fact]
    public void ConditionalGanPutsTheSamplesOfEachClassAtThatClassesCentre()
    {
        // G 2+4 → 32 → 32 → 2 and D 2+4 → 32 → 32 → 1 (LeakyReLU), label embeddings of 4, Adam 2e-3 (0.5, 0.999), batch 64,
        // 300 steps on one thread (under a second). Measured over seeds 0-9: 98.9-100% of each class's samples lie within 1
        // (5 std) of their own centre, the centres being 4 apart; their mean distance to it is 0.07-0.56. At 1e-3 the same
        // budget leaves seed 1's class 1 at 77%.
        LatentRuntime.EnsureLoaded();
        LatentRuntime.SetThreads(1); // tiny matrices: one thread is fastest, as the toy recipes set
        using var random = new SeededRandom(1);
        using var gan = BuildBlobGan(random);
        var batches = new LabelledBlobs(64, random.Data);
        using var rng = new Generator(42);
        double[] before = SharesNearOwnCentre(gan, rng);

        new Trainer().Fit(gan, batches, 300);
        double[] after = SharesNearOwnCentre(gan, rng);

        Assert.All(before, share => Assert.True(share < 0.5, $"{share:P0} near the centre before training"));
        Assert.All(after, share => Assert.True(share >= 0.9, $"only {share:P1} of a class's samples within 1 of its centre"));
    }

    [Fact]
    public void SampleOfACountCyclesThroughTheClasses()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        using var gan = BuildEchoGan(random, classes: 3);
        using var scope = NewDisposeScope();

        var labels = gan.Sample(7).flatten().data<float>().ToArray();

        Assert.Equal(3, gan.Classes);
        Assert.Equal([0f, 1, 2, 0, 1, 2, 0], labels);
    }

    [Fact]
    public void SampleAndDecodePassTheGivenLabelsToTheGenerator()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        using var gan = BuildEchoGan(random, classes: 3);
        using var scope = NewDisposeScope();
        var labels = tensor(new long[] { 2, 2, 0, 1 });

        Assert.Equal([2f, 2, 0, 1], gan.SampleClasses(labels).flatten().data<float>().ToArray());
        Assert.Equal([2f, 2, 0, 1], gan.Decode(zeros(4, gan.LatentDim), labels).flatten().data<float>().ToArray());
    }

    [Fact]
    public void AConditionalGanWithoutLabelsOrWithTheWrongNumberIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        using var gan = BuildEchoGan(random, classes: 3);
        using var scope = NewDisposeScope();

        var none = Assert.Throws<ArgumentException>(() => gan.Decode(zeros(4, gan.LatentDim)));
        var tooFew = Assert.Throws<ArgumentException>(() => gan.Decode(zeros(4, gan.LatentDim), tensor(new long[] { 0, 1 })));

        Assert.Equal("labels", none.ParamName);
        Assert.Contains("a conditional GAN needs one label per example: (N) = (4)", none.Message);
        Assert.Equal("labels", tooFew.ParamName);
    }

    [Fact]
    public void UnlabelledBatchesGiveAConditionalGanAClearError()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        using var gan = BuildBlobGan(random);
        var unlabelled = new CountingBatches(make: () => randn(8, 2));
        using var scope = NewDisposeScope();

        var error = Assert.Throws<InvalidOperationException>(() => gan.TrainStep(unlabelled));

        Assert.StartsWith("a conditional GAN needs labelled batches, but the data has no labels", error.Message);
    }

    [Fact]
    public void LabelsForAnUnconditionalGanAreRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        var generator = nn.Linear(2, 2);
        var critic = nn.Linear(2, 1);
        using var gan = new Gan(generator, critic, new NonSaturatingLoss(), optim.SGD(generator.parameters(), 0.1),
                                optim.SGD(critic.parameters(), 0.1), random.Noise);
        using var scope = NewDisposeScope();
        var labels = tensor(new long[] { 0, 1 });

        var sample = Assert.Throws<InvalidOperationException>(() => gan.SampleClasses(labels));
        var decode = Assert.Throws<ArgumentException>(() => gan.Decode(zeros(2, 2), labels));
        var score = Assert.Throws<ArgumentException>(() => gan.Score(zeros(2, 2), labels));

        Assert.Equal(0, gan.Classes);
        Assert.Equal("this GAN is not conditional; call Sample(n) instead", sample.Message);
        Assert.Equal("labels", decode.ParamName);
        Assert.Contains("not conditional; pass no labels", decode.Message);
        Assert.Equal("labels", score.ParamName);
        Assert.Equal([2L, 2], gan.Sample(2).shape); // and without labels it samples
    }

    [Fact]
    public void FewerThanTwoClassesAreRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        using var generator = new LabelEcho();
        using var critic = new LabelEcho();
        using var gOptimizer = optim.SGD(generator.parameters(), 0.1);
        using var dOptimizer = optim.SGD(critic.parameters(), 0.1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Gan(generator, critic, classes: 1, new NonSaturatingLoss(), gOptimizer, dOptimizer, random.Noise));

        Assert.Equal("classes", error.ParamName);
    }

    /// <summary>A small conditional GAN for <see cref="LabelledBlobs"/>: MLP generator and discriminator, each with a label embedding of 4.</summary>
    private static Gan BuildBlobGan(SeededRandom random)
    {
        const int latent = 2, embedding = 4;
        var generator = new LabelConditioned(new Mlp(new MlpSpec([latent + embedding, 32, 32, 2])), 2, embedding);
        var discriminator = new LabelConditioned(new Mlp(new MlpSpec([2 + embedding, 32, 32, 1], Hidden: Activation.LeakyReLU)), 2, embedding);
        return new Gan(generator, discriminator, 2, new NonSaturatingLoss(),
                       optim.Adam(generator.parameters(), 2e-3, 0.5, 0.999), optim.Adam(discriminator.parameters(), 2e-3, 0.5, 0.999),
                       random.Noise, new GanOptions { LatentDim = latent });
    }

    /// <summary>A conditional GAN whose generator returns the label it is asked for.</summary>
    private static Gan BuildEchoGan(SeededRandom random, int classes)
    {
        var generator = new LabelEcho();
        var critic = new LabelEcho();
        return new Gan(generator, critic, classes, new NonSaturatingLoss(), optim.SGD(generator.parameters(), 0.1),
                       optim.SGD(critic.parameters(), 0.1), random.Noise, new GanOptions { LatentDim = 3 });
    }

    private static double[] SharesNearOwnCentre(Gan gan, Generator rng)
    {
        using var scope = NewDisposeScope();
        return [.. Enumerable.Range(0, 2).Select(label => LabelledBlobs.ShareNear(gan.SampleClasses(full(1000, label, dtype: int64), rng), label, radius: 1.0))];
    }
}
