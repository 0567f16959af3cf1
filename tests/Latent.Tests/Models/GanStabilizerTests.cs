using Latent.Models;
using Latent.Models.Losses;
using Latent.Models.Regularizers;
using Latent.Nets;
using Latent.Recipes;
using Latent.Runtime;
using Latent.Tests.Evaluation;
using Latent.Tests.Training;
using Latent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

/// <summary>Each stabilizer of <see cref="Gan"/> does what it says, checked on the smallest GAN that shows it.</summary>
public class GanStabilizerTests
{
    /// <summary>A small GAN on the ring: G 2-16-2, D 2-16-1, batch 32, Adam.</summary>
    private static readonly Recipe SmallGan = new()
    {
        Name = "small-gan", Seed = 3, Steps = 10, BatchSize = 32, Family = "gan", Data = new() { Kind = "ring" },
        Gan = new() { LatentDim = 2, Generator = new() { Hidden = [16] }, Discriminator = new() { Hidden = [16] } },
    };

    private static Recipe WithGan(Func<GanSpec, GanSpec> change) => SmallGan with { Gan = change(SmallGan.Gan) };

    // n_critic ---------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(1, 0.0, 1)]
    [InlineData(3, 0.0, 3)]
    [InlineData(3, 1.0, 4)] // feature matching draws one more real batch for the generator half
    public void EachCriticStepDrawsItsOwnRealBatch(int criticSteps, double featureMatching, int draws)
    {
        using var built = RecipeBuilder.Build(WithGan(g => g with { CriticSteps = criticSteps, FeatureMatching = featureMatching }));
        var batches = new CountingBatches(built.Batches);

        using (NewDisposeScope())
            built.Model.TrainStep(batches);

        Assert.Equal(draws, batches.Draws);
    }

    // One-sided label smoothing ----------------------------------------------------------------------------------------

    [Fact]
    public void WithRealLabelPointNineTheDiscriminatorLossIsFlatWhereDOfRealIsPointNine()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // d/ds [0.9·softplus(−s) + 0.1·softplus(s)] = σ(s) − 0.9: zero at σ(s) = 0.9, s = ln 9.
        var atTarget = full(4, 1, Math.Log(9), requires_grad: true);
        var fake = full(4, 1, -30.0); // σ = 0: the fake half contributes nothing
        var smoothed = new NonSaturatingLoss(0.9);

        smoothed.DiscriminatorLoss(atTarget, fake).backward();
        double lossAtTarget = smoothed.DiscriminatorLoss(atTarget, fake).item<float>();

        Assert.All(atTarget.grad!.data<float>().ToArray(), g => Assert.Equal(0, g, 1e-7));
        Assert.True(smoothed.DiscriminatorLoss(full(4, 1, Math.Log(9) + 0.5), fake).item<float>() > lossAtTarget);
        Assert.True(smoothed.DiscriminatorLoss(full(4, 1, Math.Log(9) + 3.0), fake).item<float>() > lossAtTarget);
        Assert.True(smoothed.DiscriminatorLoss(full(4, 1, Math.Log(9) - 0.5), fake).item<float>() > lossAtTarget);

        // Without smoothing the same logits are still pushed up: the gradient is (σ(s) − 1)/N = −0.1/4.
        var unsmoothed = full(4, 1, Math.Log(9), requires_grad: true);
        new NonSaturatingLoss().DiscriminatorLoss(unsmoothed, fake).backward();
        Assert.All(unsmoothed.grad!.data<float>().ToArray(), g => Assert.Equal(-0.025, g, 1e-6));
    }

    [Theory]
    [InlineData(0.9, 0.88, 0.92)]
    [InlineData(1.0, 0.99, 1.0)]
    public void OnASeparableProblemDOfRealSettlesAtTheRealLabel(double realLabel, double low, double high)
    {
        // Real data N(5, 0.1) against a generator that barely moves (lr 1e-12): D separates them and D(real) goes to
        // the label it is trained on. Measured over seeds 3-6 after 300 steps: 0.899-0.905 with label 0.9,
        // 0.9987-0.9998 with label 1; D(fake) below 0.003 in both.
        var recipe = SmallGan with
        {
            Steps = 300, BatchSize = 64, Data = new() { Kind = "gaussian", Mean = 5, Std = 0.1 },
            Gan = SmallGan.Gan with
            {
                LatentDim = 1, RealLabel = realLabel,
                GeneratorOptimizer = new() { Kind = "sgd", Lr = 1e-12 },
                DiscriminatorOptimizer = new() { Lr = 1e-2 },
            },
        };
        using var built = RecipeBuilder.Build(recipe);

        var last = new Trainer().Fit(built.Model, built.Batches, recipe.Steps);

        Assert.InRange(last["d_real"], low, high);
        Assert.InRange(last["d_fake"], 0, 0.05);
    }

    // TTUR ---------------------------------------------------------------------------------------------------------

    [Fact]
    public void EachNetworkGetsItsOwnOptimizerWithItsOwnLearningRate()
    {
        using var built = RecipeBuilder.Build(WithGan(g => g with
        {
            GeneratorOptimizer = new() { Lr = 1e-4, Beta1 = 0, Beta2 = 0.9 },
            DiscriminatorOptimizer = new() { Lr = 4e-4, Beta1 = 0, Beta2 = 0.9 },
        }));
        var gan = (Gan)built.Model;

        var generatorGroup = (TorchSharp.Modules.ParamGroup)built.Model.Optimizers["generator"].ParamGroups.Single();
        var discriminatorGroup = (TorchSharp.Modules.ParamGroup)built.Model.Optimizers["discriminator"].ParamGroups.Single();

        Assert.Equal(1e-4, generatorGroup.LearningRate);
        Assert.Equal(4e-4, discriminatorGroup.LearningRate);
        // Each optimizer steps its own network's parameters, packed into one tensor.
        var generatorPack = PackedParameters.Of(gan.Generator.parameters().First())!;
        var discriminatorPack = PackedParameters.Of(gan.Discriminator.parameters().First())!;
        Assert.Equal(Handles(gan.Generator.parameters()), Handles(generatorPack.Members));
        Assert.Equal(Handles(gan.Discriminator.parameters()), Handles(discriminatorPack.Members));
        Assert.Equal(Handles([generatorPack.Flat]), Handles(generatorGroup.Parameters));
        Assert.Equal(Handles([discriminatorPack.Flat]), Handles(discriminatorGroup.Parameters));
    }

    // Learning-rate decay ------------------------------------------------------------------------------------------

    [Fact]
    public void DecayCallbackScalesEveryLearningRateByGammaToTheNumberOfPeriods()
    {
        using var built = RecipeBuilder.Build(WithGan(g => g with
        {
            GeneratorOptimizer = new() { Lr = 1e-3 },
            DiscriminatorOptimizer = new() { Kind = "sgd", Lr = 4e-3 },
        }));

        new Trainer([new LearningRateDecay(0.5, every: 4)]).Fit(built.Model, built.Batches, steps: 13);

        // 13 steps are 3 whole periods of 4: lr₀ · 0.5³.
        RelativeAssert.Close(1e-3 * 0.125, built.Model.Optimizers["generator"].ParamGroups.Single().LearningRate, 1e-12);
        RelativeAssert.Close(4e-3 * 0.125, built.Model.Optimizers["discriminator"].ParamGroups.Single().LearningRate, 1e-12);
    }

    // EMA ----------------------------------------------------------------------------------------------------------

    [Fact]
    public void WithEmaSamplesComeFromTheShadowGenerator()
    {
        using var built = RecipeBuilder.Build(WithGan(g => g with { Ema = 0.9 }));
        var gan = (Gan)built.Model;
        new Trainer().Fit(built.Model, built.Batches, 5);
        using var scope = NewDisposeScope();
        using var first = new Generator(8);
        using var second = new Generator(8);
        using var third = new Generator(8);

        var samples = gan.Sample(32, first);
        Tensor expected, online;
        using (no_grad())
        {
            expected = ((nn.Module<Tensor, Tensor>)gan.SamplingGenerator).call(randn([32, 2], generator: second));
            online = ((nn.Module<Tensor, Tensor>)gan.Generator).call(randn([32, 2], generator: third)); // the same codes through the trained generator
        }

        Assert.Same(built.Model.Networks["generator_ema"], gan.SamplingGenerator);
        Assert.NotSame(gan.Generator, gan.SamplingGenerator);
        Assert.True(samples.Equals(expected));
        Assert.False(online.Equals(expected));
    }

    [Fact]
    public void AfterAStepTheShadowIsDecayTimesItsOldValuePlusTheRestTimesTheOnlineWeights()
    {
        using var built = RecipeBuilder.Build(WithGan(g => g with { Ema = 0.9 }));
        var gan = (Gan)built.Model;
        new Trainer().Fit(built.Model, built.Batches, 3); // the shadow has left the online weights
        using var scope = NewDisposeScope();
        var shadowBefore = Parameters(gan.SamplingGenerator).ToDictionary(p => p.Key, p => p.Value.clone());

        gan.TrainStep(built.Batches);

        var online = Parameters(gan.Generator);
        foreach (var (name, shadow) in Parameters(gan.SamplingGenerator))
        {
            var expected = 0.9 * shadowBefore[name] + 0.1 * online[name];
            Assert.True(shadow.allclose(expected, rtol: 1e-5, atol: 1e-7), name);
            Assert.False(shadow.allclose(online[name], rtol: 1e-3, atol: 1e-5), name);
        }
    }

    // Minibatch standard deviation and minibatch discrimination -----------------------------------------------------

    [Theory]
    [InlineData(true, 0, 16 + 1)]
    [InlineData(false, 4, 16 + 4)]
    [InlineData(true, 4, 16 + 1 + 4)]
    public void MinibatchFeaturesWidenTheHeadAndTrain(bool stdDev, int kernels, int headInputs)
    {
        var recipe = WithGan(g => g with { Discriminator = g.Discriminator with { MinibatchStdDev = stdDev, MinibatchKernels = kernels } });
        using var built = RecipeBuilder.Build(recipe);
        var discriminator = (Discriminator)((Gan)built.Model).Discriminator;

        var head = discriminator.named_parameters().Single(p => p.name == "head.layers.linear0.weight").parameter;
        Assert.Equal([1L, headInputs], head.shape);

        var last = new Trainer().Fit(built.Model, built.Batches, 3); // throws on a non-finite figure
        Assert.True(last["d_loss"] > 0);
    }

    // Feature matching -----------------------------------------------------------------------------------------------

    [Fact]
    public void FeatureMatchingIsTheSquaredDistanceBetweenMeanFeaturesOfRealAndGeneratedBatches()
    {
        // Learning rates of 1e-30 leave every weight as it was, so the figure can be recomputed after the step from
        // the same real batch and the same latent codes (the noise stream's state is restored and replayed).
        var recipe = WithGan(g => g with
        {
            FeatureMatching = 1,
            GeneratorOptimizer = new() { Kind = "sgd", Lr = 1e-30 },
            DiscriminatorOptimizer = new() { Kind = "sgd", Lr = 1e-30 },
        });
        using var built = RecipeBuilder.Build(recipe);
        var gan = (Gan)built.Model;
        using var scope = NewDisposeScope();
        var real = built.Batches.Next().Examples;
        var fixedBatch = new CountingBatches(make: () => real.alias());
        var noiseState = built.Random.Noise.get_state();

        double figure = gan.TrainStep(fixedBatch)["feature_matching"];

        built.Random.Noise.set_state(noiseState);
        _ = randn([32, 2], generator: built.Random.Noise); // the critic step's codes
        var z = randn([32, 2], generator: built.Random.Noise); // the generator half's codes
        double expected;
        using (no_grad())
        {
            var discriminator = (Discriminator)gan.Discriminator;
            var difference = discriminator.Features(real).mean([0]) - discriminator.Features(((nn.Module<Tensor, Tensor>)gan.Generator).call(z)).mean([0]);
            expected = difference.square().sum().item<float>();
        }
        Assert.True(expected > 0);
        RelativeAssert.Close(expected, figure, 1e-5);
    }

    [Fact]
    public void WithoutFeatureMatchingThereIsNoFeatureMatchingFigure()
    {
        using var built = RecipeBuilder.Build(SmallGan);
        using var scope = NewDisposeScope();

        Assert.False(built.Model.TrainStep(built.Batches).TryGet("feature_matching", out _));
    }

    // Spectral normalization -----------------------------------------------------------------------------------------

    [Fact]
    public void SpectrallyNormalizedLayersHaveTopSingularValueOneAfterTraining()
    {
        var recipe = WithGan(g => g with { Discriminator = g.Discriminator with { Hidden = [16, 16], SpectralNorm = true } });
        using var built = RecipeBuilder.Build(recipe);
        new Trainer().Fit(built.Model, built.Batches, 50);

        var layers = ((Gan)built.Model).Discriminator.modules().OfType<SpectralNorm>().ToList();

        Assert.Equal(3, layers.Count); // two body layers and the head
        using var scope = NewDisposeScope();
        // The raw weights the optimizer trains are not normalized themselves (the head's, 16 → 1, is far below 1).
        Assert.Contains(layers, layer => Math.Abs(linalg.svdvals(layer.named_parameters().Single(p => p.name == "weight_orig").parameter.detach())[0].item<float>() - 1) > 0.1);
        foreach (var layer in layers)
        {
            // Measured over seeds 3-5 after 50 steps: 1.0000 for every layer but one at 1.0055.
            double sigma = linalg.svdvals(layer.EffectiveWeight().detach())[0].item<float>();
            Assert.InRange(sigma, 0.98, 1.02);
        }
    }

    // R1 -------------------------------------------------------------------------------------------------------------

    [Fact]
    public void R1OfALinearCriticIsItsSquaredWeightNorm()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(6);
        var generator = nn.Linear(2, 2);
        var critic = nn.Linear(2, 1);
        using (no_grad())
            critic.weight.copy_(tensor(new float[,] { { 3, -4 } }));
        using var gan = new Gan(generator, critic, new NonSaturatingLoss(), optim.SGD(generator.parameters(), 0.01),
                                optim.SGD(critic.parameters(), 0.01), random.Noise, new GanOptions { Regularizers = [new R1Penalty(10)] });
        using var scope = NewDisposeScope();

        var metrics = gan.TrainStep(new CountingBatches(make: () => randn(16, 2)));

        // ∇ₓ(w·x + b) = w for every x: ‖w‖² = 9 + 16.
        RelativeAssert.Close(25, metrics["r1"], 1e-6);
        Assert.True(critic.weight.data<float>()[0] < 3); // the penalty's gradient 2w·γ/2 shrank w
    }

    [Fact]
    public void R1ScoresTheRealBatchOnceAndGivesTheSeparatePassesPenalty()
    {
        // A nonlinear critic whose input gradient depends on x, so a penalty from the wrong scores would differ.
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(7);
        var generator = nn.Linear(2, 2);
        var critic = new CountingCritic(nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)));
        var real = randn(16, 2, generator: random.Data).DetachFromDisposeScope();
        double separate;
        using (NewDisposeScope())
            separate = new R1Penalty(10).Penalty(critic.call, real, real, random.Noise).item<float>();
        critic.Calls = 0;
        using var gan = new Gan(generator, critic, new NonSaturatingLoss(), optim.SGD(generator.parameters(), 0.01),
                                optim.SGD(critic.parameters(), 0.01), random.Noise, new GanOptions { Regularizers = [new R1Penalty(10)] });
        using var scope = NewDisposeScope();

        var metrics = gan.TrainStep(new CountingBatches(make: () => real.alias()));

        // Real, fake, and the generator's fakes: three passes, where scoring real data again for R1 would make four.
        Assert.Equal(3, critic.Calls);
        RelativeAssert.Close(separate, metrics["r1"], 1e-6);
        Assert.False(real.requires_grad); // the data handed in is left as it was
        real.Dispose();
    }

    private sealed class CountingCritic : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> _inner;

        public CountingCritic(nn.Module<Tensor, Tensor> inner) : base(nameof(CountingCritic))
        {
            _inner = inner;
            RegisterComponents();
        }

        public int Calls { get; set; }

        public override Tensor forward(Tensor input)
        {
            Calls++;
            return _inner.call(input);
        }
    }

    // Gradient-norm clipping -----------------------------------------------------------------------------------------

    [Fact]
    public void GradientClippingBoundsEachNetworksUpdateUnderPlainSgd()
    {
        // With SGD at lr 1 and no momentum, a network's update is its gradient: clipped to norm 1e-3, no network moves
        // more than 1e-3 in L2 norm over all of its parameters. The same step unclipped moves them far more.
        double[] clipped = StepSizes(1e-3, out var clippedMetrics);
        double[] free = StepSizes(null, out var freeMetrics);

        // Both gradients are far above 1e-3, so each clipped step is 1e-3 · norm / (norm + 1e-6), 1e-3 less 1e-6 relative;
        // measured as a difference of float32 weights near 0.3 (spacing 3e-8), it is 1e-3 to within 1e-3 relative.
        Assert.All(clipped, size => Assert.InRange(size, 1e-3 * (1 - 1e-3), 1e-3 * (1 + 1e-3)));
        Assert.All(free, size => Assert.True(size > 1e-2, $"an unclipped step moved only {size}"));
        // The figures are the norms before clipping: unclipped, each network moves by exactly its figure, and the critic's
        // figure (taken before any update) is the same in both runs.
        RelativeAssert.Close(free[0], freeMetrics["g_grad_norm"], 1e-4);
        RelativeAssert.Close(free[1], freeMetrics["d_grad_norm"], 1e-4);
        RelativeAssert.Close(freeMetrics["d_grad_norm"], clippedMetrics["d_grad_norm"], 1e-6);
    }

    private static double[] StepSizes(double? clip, out StepMetrics metrics)
    {
        var recipe = WithGan(g => g with
        {
            GradientClipNorm = clip,
            GeneratorOptimizer = new() { Kind = "sgd", Lr = 1 },
            DiscriminatorOptimizer = new() { Kind = "sgd", Lr = 1 },
        });
        using var built = RecipeBuilder.Build(recipe);
        var gan = (Gan)built.Model;
        using var scope = NewDisposeScope();
        var generatorBefore = Flat(gan.Generator);
        var discriminatorBefore = Flat(gan.Discriminator);

        metrics = gan.TrainStep(built.Batches);

        return [(Flat(gan.Generator) - generatorBefore).norm().item<float>(), (Flat(gan.Discriminator) - discriminatorBefore).norm().item<float>()];
    }

    // Weight clipping ------------------------------------------------------------------------------------------------

    [Fact]
    public void WeightClippingKeepsEveryCriticParameterWithinTheBoundAfterEachStep()
    {
        using var built = RecipeBuilder.Build(WithGan(g => g with { Loss = "wasserstein", CriticSteps = 2, WeightClip = 0.01 }));
        var critic = ((Gan)built.Model).Discriminator;
        using var scope = NewDisposeScope();

        for (int step = 0; step < 3; step++)
        {
            built.Model.TrainStep(built.Batches);
            var values = Flat(critic);
            Assert.InRange(values.abs().max().item<float>(), 0.0099, 0.01f);
        }
    }

    // Diagnostics ----------------------------------------------------------------------------------------------------

    [Fact]
    public void AStepReportsLossesScoresWassersteinEstimatePenaltyAndGradientNorms()
    {
        using var built = RecipeBuilder.Build(WithGan(g => g with { Loss = "wasserstein", CriticSteps = 2, GradientPenalty = 10 }));
        using var scope = NewDisposeScope();

        var metrics = built.Model.TrainStep(built.Batches);

        Assert.Equal(["d_loss", "g_loss", "d_real", "d_fake", "wasserstein", "gp", "d_grad_norm", "g_grad_norm"], metrics.Values.Select(p => p.Key));
        Assert.All(metrics.Values, p => Assert.True(double.IsFinite(p.Value), p.Key));
        // Critic scores are raw here: d_real and d_fake are the mean scores and their difference is the estimate.
        RelativeAssert.Close(metrics["d_real"] - metrics["d_fake"], metrics["wasserstein"], 1e-5);
        RelativeAssert.Close(-metrics["wasserstein"], metrics["d_loss"], 1e-5); // WGAN critic loss: E D(fake) − E D(real)
        Assert.True(metrics["gp"] > 0);
        Assert.True(metrics["d_grad_norm"] > 0);
        Assert.True(metrics["g_grad_norm"] > 0);
    }

    [Fact]
    public void ForALogitLossDRealAndDFakeAreProbabilities()
    {
        using var built = RecipeBuilder.Build(SmallGan);
        using var scope = NewDisposeScope();

        var metrics = built.Model.TrainStep(built.Batches);

        Assert.Equal(["d_loss", "g_loss", "d_real", "d_fake", "wasserstein", "d_grad_norm", "g_grad_norm"], metrics.Values.Select(p => p.Key));
        Assert.InRange(metrics["d_real"], 1e-6, 1 - 1e-6);
        Assert.InRange(metrics["d_fake"], 1e-6, 1 - 1e-6);
        Assert.True(metrics["d_loss"] > 0 && metrics["g_loss"] > 0);
    }

    private static IEnumerable<long> Handles(IEnumerable<TorchSharp.Modules.Parameter> parameters) => parameters.Select(p => (long)p.Handle);

    private static Dictionary<string, Tensor> Parameters(nn.Module network) =>
        network.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);

    private static Tensor Flat(nn.Module network)
    {
        using (no_grad())
            return cat(network.parameters().Select(p => p.detach().flatten()).ToList(), 0).clone();
    }
}
