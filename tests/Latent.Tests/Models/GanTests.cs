using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Models.Losses;
using Latent.Recipes;
using Latent.Runtime;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

public class GanTests
{
    [Fact]
    public void Gan1dMatchesTheMeanAndStdOfTheTarget()
    {
        // gan1d with the minibatch-std feature, 1,500 of its 2,000 steps. Measured over seeds 0-5: mean within 0.014 of 3,
        // std 0.417-0.523. The preset as it stands (no minibatch std) misses the std in 2 of 6 seeds at 2,000 steps
        // (1.04 and 0.175): its discriminator cannot see a too-wide or too-narrow batch.
        var preset = Presets.Get("gan1d");
        var recipe = preset with
        {
            Seed = 1, Steps = 1500,
            Gan = preset.Gan with { Discriminator = preset.Gan.Discriminator with { MinibatchStdDev = true } },
        };
        using var built = RecipeBuilder.Build(recipe);
        new Trainer().Fit(built.Model, built.Batches, recipe.Steps);

        var figures = RunEvaluator.Evaluate(built).ToDictionary(f => f.Key, f => f.Value);

        Assert.InRange(figures["mean"], 3 - 0.15, 3 + 0.15);
        Assert.InRange(figures["std"], 0.5 - 0.15, 0.5 + 0.15);
    }

    [Fact]
    public void WganGpSpreadsItsSamplesOverTheModesOfTheRingWithinAShortBudget()
    {
        // The full wgangp8g (3,000 steps at batch 256, G/D 2-128-2) takes minutes on two cores, so this test uses a budget
        // that fits in seconds: G and critic 2-64-64, batch 64, EMA 0.98, 200 generator steps of 5 critic steps each.
        // Measured over seeds 0-5 at 200 steps: samples within 0.5 of a mode centre (10 std; the modes are 1.53 apart)
        // reach all 8 modes, 14-20% of samples lie that close, and 1-2% lie within the 3-std quality radius (0.15).
        // That is the weaker promise tested here: WGAN-GP spreads over every mode early; sharp modes take the full run.
        var preset = Presets.Get("wgangp8g");
        var recipe = preset with
        {
            Seed = 2, Steps = 200, BatchSize = 64,
            Gan = preset.Gan with
            {
                Generator = preset.Gan.Generator with { Hidden = [64, 64] },
                Discriminator = preset.Gan.Discriminator with { Hidden = [64, 64] },
                Ema = 0.98,
            },
        };
        using var built = RecipeBuilder.Build(recipe);
        var ring = (IGaussianMixture)built.Data;
        using var rng = new Generator(99);
        using var scope = NewDisposeScope();
        var before = ModeCoverage.Measure(((Gan)built.Model).Sample(2500, rng), ring.Centers, ring.Std, withinStds: 10);

        new Trainer().Fit(built.Model, built.Batches, recipe.Steps);
        var after = ModeCoverage.Measure(((Gan)built.Model).Sample(2500, rng), ring.Centers, ring.Std, withinStds: 10);

        Assert.Equal(0, before.ModesCovered);
        Assert.True(after.ModesCovered >= 6, $"{after.ModesCovered} of 8 modes reached within 0.5");
        Assert.True(after.HighQualityShare >= 0.1, $"{after.HighQualityShare:P1} of samples within 0.5 of a mode");
    }

    [Fact]
    public void SampleUsesTheGivenGeneratorSoTheSameSeedGivesTheSameSamples()
    {
        LatentRuntime.EnsureLoaded();
        using var built = RecipeBuilder.Build(Presets.Get("gan8g"));
        var gan = (Gan)built.Model;
        using var scope = NewDisposeScope();
        using var first = new Generator(17);
        using var second = new Generator(17);

        var a = gan.Sample(64, first);
        var b = gan.Sample(64, second);
        var c = gan.Sample(64, first);

        Assert.Equal([64L, 2L], a.shape);
        Assert.True(a.Equals(b));
        Assert.False(a.Equals(c));
        Assert.False(a.requires_grad);
    }

    [Fact]
    public void ScoreRunsTheDiscriminatorInEvaluationModeAndRestoresTraining()
    {
        LatentRuntime.EnsureLoaded();
        var preset = Presets.Get("gan8g");
        using var built = RecipeBuilder.Build(preset with { Gan = preset.Gan with { Discriminator = new() { Hidden = [8], Dropout = 0.5 } } });
        var gan = (Gan)built.Model;
        gan.SetTraining(true);
        using var scope = NewDisposeScope();
        var x = randn(16, 2);

        // Dropout is off in evaluation mode, so two calls agree.
        Assert.True(gan.Score(x).Equals(gan.Score(x)));
        Assert.Equal([16L, 1L], gan.Score(x).shape);
        Assert.True(gan.Discriminator.training);
    }

    [Fact]
    public void FeatureMatchingNeedsALatentDiscriminator()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        using var generator = nn.Linear(2, 2);
        using var critic = nn.Linear(2, 1);
        using var gOptimizer = optim.SGD(generator.parameters(), 0.1);
        using var dOptimizer = optim.SGD(critic.parameters(), 0.1);

        var error = Assert.Throws<ArgumentException>(() => new Gan(generator, critic, new NonSaturatingLoss(), gOptimizer, dOptimizer, random.Noise,
                                                                   new GanOptions { FeatureMatchingWeight = 1 }));
        Assert.Contains("feature matching", error.Message);
    }

    [Fact]
    public void AnEmaDecayWithoutASecondGeneratorIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        using var generator = nn.Linear(2, 2);
        using var critic = nn.Linear(2, 1);
        using var gOptimizer = optim.SGD(generator.parameters(), 0.1);
        using var dOptimizer = optim.SGD(critic.parameters(), 0.1);

        var error = Assert.Throws<ArgumentNullException>(() => new Gan(generator, critic, new NonSaturatingLoss(), gOptimizer, dOptimizer, random.Noise,
                                                                       new GanOptions { EmaDecay = 0.99 }));
        Assert.Equal("averagedGenerator", error.ParamName);
    }

    [Fact]
    public void OptionsOutOfRangeAreRefusedNamingTheOption()
    {
        Assert.Equal("CriticSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new GanOptions { CriticSteps = 0 }.Validate()).ParamName);
        Assert.Equal("LatentDim", Assert.Throws<ArgumentOutOfRangeException>(() => new GanOptions { LatentDim = 0 }.Validate()).ParamName);
        Assert.Equal("GradientClipNorm", Assert.Throws<ArgumentOutOfRangeException>(() => new GanOptions { GradientClipNorm = 0 }.Validate()).ParamName);
        Assert.Equal("EmaDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new GanOptions { EmaDecay = 1 }.Validate()).ParamName);
        Assert.Equal("FeatureMatchingWeight", Assert.Throws<ArgumentOutOfRangeException>(() => new GanOptions { FeatureMatchingWeight = -1 }.Validate()).ParamName);
    }
}
