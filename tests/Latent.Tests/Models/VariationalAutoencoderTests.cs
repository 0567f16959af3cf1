using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Recipes;
using Latent.Runtime;
using Latent.Tests.Evaluation;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

public class VariationalAutoencoderTests
{
    [Fact]
    public void KlDivergenceIsHalfOfMuSquaredPlusVarianceMinusOneMinusLogVariancePerDimension()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var mu = tensor(new float[,] { { 0, 0 }, { 1, -1 } });
        var logVar = tensor(new float[,] { { 0, (float)Math.Log(4) }, { 0, 0 } });

        double kl = VariationalAutoencoder.KlDivergence(mu, logVar).item<float>();

        // Per dimension ½(μ² + σ² − 1 − ln σ²): row 0 is 0 + ½(4 − 1 − ln 4); row 1 is ½ + ½; the batch mean of the row sums.
        double expected = (0.5 * (4 - 1 - Math.Log(4)) + 1.0) / 2;
        RelativeAssert.Close(expected, kl, 1e-6);
    }

    [Fact]
    public void KlDivergenceOfTheStandardNormalIsZero()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        Assert.Equal(0, VariationalAutoencoder.KlDivergence(zeros(5, 3), zeros(5, 3)).item<float>());
    }

    [Fact]
    public void KlDivergenceGradientsAreMuAndHalfOfVarianceMinusOneOverTheBatch()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var mu = tensor(new float[,] { { 0.5f, -2 }, { 1, 0 } }, requires_grad: true);
        var logVar = tensor(new float[,] { { 0, 1 }, { -1, 2 } }, requires_grad: true);

        VariationalAutoencoder.KlDivergence(mu, logVar).backward();

        // ∂/∂μ = μ / N and ∂/∂ln σ² = ½(σ² − 1) / N, with N = 2.
        float[] muGrad = mu.grad!.data<float>().ToArray();
        float[] logVarGrad = logVar.grad!.data<float>().ToArray();
        float[] expectedMu = [0.25f, -1, 0.5f, 0];
        double[] expectedLogVar = [0, 0.25 * (Math.E - 1), 0.25 * (Math.Exp(-1) - 1), 0.25 * (Math.Exp(2) - 1)];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expectedMu[i], muGrad[i], 1e-6);
            Assert.Equal(expectedLogVar[i], logVarGrad[i], 1e-5);
        }
    }

    [Fact]
    public void KlWeightRisesLinearlyOverTheWarmUpToBeta()
    {
        LatentRuntime.EnsureLoaded();
        using var built = RecipeBuilder.Build(Presets.Get("vae2d") with { Vae = Presets.Get("vae2d").Vae with { Beta = 0.5, KlWarmupSteps = 4 } });
        var vae = (VariationalAutoencoder)built.Model;

        var weights = new List<double>();
        for (int step = 0; step < 6; step++)
        {
            using var scope = NewDisposeScope();
            weights.Add(vae.TrainStep(built.Batches)["kl_weight"]);
        }

        Assert.Equal([0.125, 0.25, 0.375, 0.5, 0.5, 0.5], weights);
        Assert.Equal(6, vae.StepsTaken);
    }

    [Fact]
    public void StepReportsLossAsReconstructionPlusWeightedKl()
    {
        LatentRuntime.EnsureLoaded();
        using var built = RecipeBuilder.Build(Presets.Get("vae2d") with { Vae = Presets.Get("vae2d").Vae with { Beta = 0.3 } });
        using var scope = NewDisposeScope();

        var metrics = built.Model.TrainStep(built.Batches);

        Assert.Equal(["loss", "recon", "kl", "kl_weight"], metrics.Values.Select(p => p.Key));
        RelativeAssert.Close(metrics["recon"] + 0.3 * metrics["kl"], metrics["loss"], 1e-5);
        Assert.True(metrics["kl"] > 0);
    }

    [Fact]
    public void StepsKlIsTheClosedFormKlOfItsBatchBeforeTheUpdate()
    {
        // The step computes KL from σ it already has (six fused ops); it must equal the public closed form. vae2d trains
        // on its whole dataset each step, so the step's batch is the dataset's points.
        LatentRuntime.EnsureLoaded();
        using var built = RecipeBuilder.Build(Presets.Get("vae2d") with { Seed = 4 });
        var vae = (VariationalAutoencoder)built.Model;
        using var scope = NewDisposeScope();
        double expected;
        using (no_grad())
        {
            var (mu, logVar) = vae.EncodeDistribution(((Latent.Data.FixedDataset)built.Data).Points);
            expected = VariationalAutoencoder.KlDivergence(mu, logVar).item<float>();
        }

        var metrics = vae.TrainStep(built.Batches);

        Assert.True(expected > 0.01, $"a KL of {expected} tests too little");
        RelativeAssert.Close(expected, metrics["kl"], 1e-5);
    }

    [Fact]
    public void SamplesOfVae2dLandOnTheClusters()
    {
        // Measured on vae2d at 500 of its 1,500 steps (seeds 0-2): 92-94% of samples lie within 3 std of a cluster
        // centre (the tutorial's own recipe: 38-65%; the real data: 99%).
        var recipe = Presets.Get("vae2d") with { Steps = 500, Seed = 1 };
        using var built = RecipeBuilder.Build(recipe);
        new Trainer().Fit(built.Model, built.Batches, recipe.Steps);

        using var scope = NewDisposeScope();
        using var rng = new Generator(123);
        var samples = ((VariationalAutoencoder)built.Model).Sample(2500, rng);
        var coverage = ModeCoverage.Measure(samples, (IGaussianMixture)built.Data);

        Assert.True(coverage.HighQualityShare >= 0.7, $"only {coverage.HighQualityShare:P1} of samples within 3 std of a cluster");
        Assert.Equal(3, coverage.ModesCovered);
    }

    [Fact]
    public void SampleIsDeterministicForAGivenGeneratorAndDecodesThePrior()
    {
        LatentRuntime.EnsureLoaded();
        using var built = RecipeBuilder.Build(Presets.Get("vae2d"));
        var vae = (VariationalAutoencoder)built.Model;
        using var scope = NewDisposeScope();
        using var first = new Generator(5);
        using var second = new Generator(5);
        using var third = new Generator(5);

        var a = vae.Sample(16, first);
        var b = vae.Sample(16, second);
        var decoded = vae.Decode(randn([16, vae.LatentDim], generator: third));

        Assert.Equal([16L, 2L], a.shape);
        Assert.True(a.Equals(b));
        Assert.True(a.Equals(decoded));
    }

    [Fact]
    public void InterpolateDecodesEvenlySpacedPointsBetweenThePosteriorMeans()
    {
        LatentRuntime.EnsureLoaded();
        using var built = RecipeBuilder.Build(Presets.Get("vae2d"));
        var vae = (VariationalAutoencoder)built.Model;
        using var scope = NewDisposeScope();
        var from = tensor(new float[] { 1, 1 });
        var to = tensor(new float[] { -1, -1 });

        var path = vae.Interpolate(from, to, steps: 5);

        var a = vae.Encode(from.reshape(1, 2));
        var b = vae.Encode(to.reshape(1, 2));
        var middle = vae.Decode(0.5f * (a + b));
        Assert.Equal([5L, 2L], path.shape);
        Assert.True(path[0].allclose(vae.Decode(a)[0], rtol: 1e-5, atol: 1e-6));
        Assert.True(path[4].allclose(vae.Decode(b)[0], rtol: 1e-5, atol: 1e-6));
        Assert.True(path[2].allclose(middle[0], rtol: 1e-5, atol: 1e-6));
        Assert.Throws<ArgumentOutOfRangeException>(() => vae.Interpolate(from, to, steps: 1));
    }

    [Fact]
    public void EncoderOfTheWrongWidthIsReportedWithTheExpectedShape()
    {
        LatentRuntime.EnsureLoaded();
        var encoder = nn.Linear(2, 3); // (N, 3) where μ and log σ² of a 2-d latent need (N, 4)
        var decoder = nn.Linear(2, 2);
        using var random = new SeededRandom(3);
        using var vae = new VariationalAutoencoder( // owns and disposes the networks and the optimizer
            encoder, decoder, optim.SGD(encoder.parameters(), 0.1), latentDim: 2, ReconstructionLoss.MeanSquaredError, random.Noise);
        using var scope = NewDisposeScope();

        var error = Assert.Throws<InvalidOperationException>(() => vae.EncodeDistribution(zeros(4, 2)));
        Assert.Contains("[4, 3]", error.Message);
        Assert.Contains("[N, 4]", error.Message);
    }
}
