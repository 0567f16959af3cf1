using Latent.Models;
using Latent.Nets;
using Latent.Runtime;
using Latent.Tests.Evaluation;
using Latent.Tests.Training;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

public class ConditionalVaeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EvaluateElboIsTheReconstructionOfCodesDrawnFromTheGivenGeneratorPlusTheKl(int samples)
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(3);
        var (vae, encoder, decoder) = BuildBlobVae(random, latent: 2);
        using var _ = vae;
        using var scope = NewDisposeScope();
        using var data = new Generator(5);
        var batch = new LabelledBlobs(32, data).Next();
        var (x, labels) = (batch.Examples, batch.Labels!);

        using var rng = new Generator(77);
        var (reconstruction, kl) = vae.EvaluateElbo(x, labels, rng, samples);

        // By hand, with a generator of the same seed: z = μ + σ·ε for each of the draws, the summed squared error per
        // example averaged over the draws, and KL = ½ Σ (μ² + σ² − 1 − ln σ²) per example.
        using var handRng = new Generator(77);
        double expectedReconstruction = 0, expectedKl;
        using (no_grad())
        {
            var stats = encoder.call(x, labels).to(float64);
            var mu = stats[.., ..2];
            var logVar = stats[.., 2..];
            for (int i = 0; i < samples; i++)
            {
                var eps = randn([32, 2], generator: handRng).to(float64);
                var z = (mu + (0.5 * logVar).exp() * eps).to(float32);
                var output = decoder.call(z, labels).to(float64);
                expectedReconstruction += (output - x.to(float64)).pow(2).sum().item<double>() / 32 / samples;
            }
            expectedKl = (0.5 * (mu.pow(2) + logVar.exp() - 1 - logVar)).sum().item<double>() / 32;
        }
        RelativeAssert.Close(expectedReconstruction, reconstruction, 1e-5);
        RelativeAssert.Close(expectedKl, kl, 1e-5);
        Assert.True(kl > 0);
    }

    [Fact]
    public void EvaluateElboDependsOnlyOnTheGeneratorItIsGiven()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(3);
        var (vae, _, _) = BuildBlobVae(random, latent: 2);
        using var __ = vae;
        using var scope = NewDisposeScope();
        var batch = new LabelledBlobs(32, new Generator(5)).Next();

        var first = vae.EvaluateElbo(batch.Examples, batch.Labels, new Generator(9));
        var again = vae.EvaluateElbo(batch.Examples, batch.Labels, new Generator(9));
        var other = vae.EvaluateElbo(batch.Examples, batch.Labels, new Generator(10));

        Assert.Equal(first, again);
        Assert.NotEqual(first.Reconstruction, other.Reconstruction);
        Assert.Equal(first.Kl, other.Kl); // the KL term is analytic: no draw
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => vae.EvaluateElbo(batch.Examples, batch.Labels, new Generator(9), 0)).ParamName);
    }

    [Fact]
    public void ConditionalVaeDecodesEachClassNearItsCentre()
    {
        // Encoder 2+4 → 32 → 2, decoder 1+4 → 32 → 2, latent 1, summed squared error, Adam 1e-2, batch 64, 200 steps on one
        // thread (under a second). Measured over seeds 0-9: 100% of each class's samples within 1 of its own centre (0-20%
        // before training), at a mean distance of 0.02-0.08. They sit on the class mean: summed squared error is a Gaussian
        // decoder of variance ½, which explains blobs of std 0.2 as decoder noise, so the label alone carries the answer.
        LatentRuntime.EnsureLoaded();
        LatentRuntime.SetThreads(1);
        using var random = new SeededRandom(2);
        var (vae, _, _) = BuildBlobVae(random, latent: 1, learningRate: 1e-2);
        using var _ = vae;
        using var rng = new Generator(42);
        double[] before = SharesNearOwnCentre(vae, rng);

        new Trainer().Fit(vae, new LabelledBlobs(64, random.Data), 200);
        double[] after = SharesNearOwnCentre(vae, rng);

        Assert.All(before, share => Assert.True(share < 0.5, $"{share:P0} near the centre before training"));
        Assert.All(after, share => Assert.True(share >= 0.9, $"only {share:P1} of a class's samples within 1 of its centre"));
    }

    [Fact]
    public void SampleOfACountCyclesThroughTheClassesAndSampleOfLabelsFollowsThem()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        var encoder = new LabelConditioned(new Mlp(new MlpSpec([2 + 3, 4])), 4, 3);
        var decoder = new LabelEcho();
        using var vae = new VariationalAutoencoder(encoder, decoder, 4, optim.SGD(encoder.parameters(), 0.1), 2,
                                                   ReconstructionLoss.SumSquaredError, random.Noise);
        using var scope = NewDisposeScope();

        Assert.Equal(4, vae.Classes);
        Assert.Equal([0f, 1, 2, 3, 0, 1], vae.Sample(6).flatten().data<float>().ToArray());
        Assert.Equal([3f, 3, 1], vae.SampleClasses(tensor(new long[] { 3, 3, 1 })).flatten().data<float>().ToArray());
    }

    [Fact]
    public void UnlabelledBatchesGiveAConditionalVaeAClearError()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        var (vae, _, _) = BuildBlobVae(random, latent: 2);
        using var _ = vae;
        using var scope = NewDisposeScope();

        var error = Assert.Throws<InvalidOperationException>(() => vae.TrainStep(new CountingBatches(make: () => randn(8, 2))));

        Assert.StartsWith("a conditional VAE needs labelled batches", error.Message);
    }

    [Fact]
    public void AnUnconditionalVaeRefusesToSampleLabels()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        var encoder = nn.Linear(2, 4);
        var decoder = nn.Linear(2, 2);
        using var vae = new VariationalAutoencoder(encoder, decoder, optim.SGD(encoder.parameters(), 0.1), 2, ReconstructionLoss.SumSquaredError, random.Noise);
        using var scope = NewDisposeScope();

        var error = Assert.Throws<InvalidOperationException>(() => vae.SampleClasses(tensor(new long[] { 0, 1 })));

        Assert.Equal(0, vae.Classes);
        Assert.Equal("this VAE is not conditional; call Sample(n) instead", error.Message);
    }

    /// <summary>A conditional VAE for <see cref="LabelledBlobs"/>: MLP encoder and decoder, each with a label embedding of 4.</summary>
    private static (VariationalAutoencoder Vae, LabelConditioned Encoder, LabelConditioned Decoder) BuildBlobVae(SeededRandom random, int latent, double learningRate = 1e-3)
    {
        const int embedding = 4;
        var encoder = new LabelConditioned(new Mlp(new MlpSpec([2 + embedding, 32, 2 * latent])), 2, embedding);
        var decoder = new LabelConditioned(new Mlp(new MlpSpec([latent + embedding, 32, 2])), 2, embedding);
        var vae = new VariationalAutoencoder(encoder, decoder, 2, optim.Adam(encoder.parameters().Concat(decoder.parameters()), learningRate),
                                             latent, ReconstructionLoss.SumSquaredError, random.Noise);
        return (vae, encoder, decoder);
    }

    private static double[] SharesNearOwnCentre(VariationalAutoencoder vae, Generator rng)
    {
        using var scope = NewDisposeScope();
        return [.. Enumerable.Range(0, 2).Select(label => LabelledBlobs.ShareNear(vae.SampleClasses(full(1000, label, dtype: int64), rng), label, radius: 1.0))];
    }
}
