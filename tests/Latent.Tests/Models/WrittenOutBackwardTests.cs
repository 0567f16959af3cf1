using Latent.Data;
using Latent.Models;
using Latent.Models.Losses;
using Latent.Models.Regularizers;
using Latent.Nets;
using Latent.Recipes;
using Latent.Runtime;
using Latent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

/// <summary>
/// A GAN or VAE of plain perceptrons takes the same steps with its backward written out as through autograd: same seed,
/// same parameters and figures, to float64 rounding.
/// </summary>
[Collection(ProcessSwitchesCollection.Name)]
public class WrittenOutBackwardTests
{
    public WrittenOutBackwardTests() => LatentRuntime.EnsureLoaded();

    public static TheoryData<string> Recipes => ["non-saturating", "wasserstein-clip", "wgan-gp", "hinge-tanh", "minimax-clip-norm-ema", "least-squares", "own-loss"];

    [Theory]
    [MemberData(nameof(Recipes))]
    public void StepsMatchTheAutogradPath(string recipe)
    {
        using var scope = NewDisposeScope();
        AssertSameRun(recipe, Train(recipe, writtenOut: true), Train(recipe, writtenOut: false));
    }

    [Theory]
    [InlineData("gan8g", true)]
    [InlineData("wgan8g", true)]
    [InlineData("wgangp8g", true)]
    [InlineData("gan1d", false)] // R1 differentiates the real scores, and minibatch std is not a plain layer
    public void ThePresetsOfPlainPerceptronsTakeTheWrittenOutPath(string preset, bool expected)
    {
        using var built = RecipeBuilder.Build(Presets.Get(preset));
        Assert.Equal(expected, ((Gan)built.Model).UsesWrittenOutBackward);
    }

    [Theory]
    [InlineData("r1")]
    [InlineData("feature-matching")]
    [InlineData("batch-norm")]
    [InlineData("dropout")]
    [InlineData("tanh-critic-with-penalty")]
    [InlineData("conditional")]
    public void WhatTheWrittenOutBackwardDoesNotCoverGoesThroughAutograd(string what)
    {
        using var scope = NewDisposeScope();
        var hidden = what == "tanh-critic-with-penalty" ? Activation.Tanh : Activation.ReLU;
        var generator = new Mlp(new MlpSpec([2, 8, 2], BatchNorm: what == "batch-norm"));
        var critic = new Discriminator(new DiscriminatorSpec(2, [8], Activation: hidden, Dropout: what == "dropout" ? 0.3 : 0));
        var options = new GanOptions
        {
            Regularizers = what switch { "r1" => [new R1Penalty(1)], "tanh-critic-with-penalty" => [new GradientPenalty(1)], _ => [] },
            FeatureMatchingWeight = what == "feature-matching" ? 1 : 0,
        };
        using var noise = new Generator(1);
        using var gan = what == "conditional"
            ? new Gan(new LabelConditioned(generator, 2, 4), new LabelConditioned(critic, 2, 4), 2, new NonSaturatingLoss(),
                      optim.SGD(generator.parameters(), 0.1), optim.SGD(critic.parameters(), 0.1), noise, options)
            : new Gan(generator, critic, new NonSaturatingLoss(), optim.SGD(generator.parameters(), 0.1), optim.SGD(critic.parameters(), 0.1), noise, options);

        Assert.False(gan.UsesWrittenOutBackward);
    }

    [Fact]
    public void TurningTheSwitchOffSendsTheStepThroughAutograd()
    {
        using var built = RecipeBuilder.Build(Presets.Get("gan8g"));
        var gan = (Gan)built.Model;
        try
        {
            WrittenOutBackward.Enabled = false;
            Assert.False(gan.UsesWrittenOutBackward);
        }
        finally
        {
            WrittenOutBackward.Enabled = true;
        }
        Assert.True(gan.UsesWrittenOutBackward);
    }

    [Theory]
    [InlineData(ReconstructionLoss.SumSquaredError, Activation.None, 0)]
    [InlineData(ReconstructionLoss.MeanSquaredError, Activation.Tanh, 5)]
    [InlineData(ReconstructionLoss.SumBinaryCrossEntropy, Activation.Sigmoid, 0)]
    [InlineData(ReconstructionLoss.BinaryCrossEntropy, Activation.Sigmoid, 5)]
    public void VaeStepsMatchTheAutogradPath(ReconstructionLoss loss, Activation output, long klWarmupSteps)
    {
        using var scope = NewDisposeScope();
        AssertSameRun(loss.ToString(), TrainVae(loss, output, klWarmupSteps, writtenOut: true), TrainVae(loss, output, klWarmupSteps, writtenOut: false));
    }

    [Theory]
    [InlineData("vae2d")]
    [InlineData("vae2d-seed")]
    public void TheToyVaePresetsTakeTheWrittenOutPath(string preset)
    {
        using var built = RecipeBuilder.Build(Presets.Get(preset));
        Assert.True(((VariationalAutoencoder)built.Model).UsesWrittenOutBackward);
    }

    [Fact]
    public void AVaeWithBatchNormOrLabelsGoesThroughAutograd()
    {
        using var scope = NewDisposeScope();
        using var random = new SeededRandom(1);
        var withBatchNorm = new Mlp(new MlpSpec([2, 8, 4], BatchNorm: true));
        var decoder = new Mlp(new MlpSpec([2, 8, 2]));
        using var normed = new VariationalAutoencoder(withBatchNorm, decoder, optim.SGD(withBatchNorm.parameters(), 0.1), 2, ReconstructionLoss.SumSquaredError, random.Noise);
        var encoder = new Mlp(new MlpSpec([6, 8, 4]));
        var conditionalDecoder = new Mlp(new MlpSpec([6, 8, 2]));
        using var conditional = new VariationalAutoencoder(new LabelConditioned(encoder, 2, 4), new LabelConditioned(conditionalDecoder, 2, 4), 2,
                                                           optim.SGD(encoder.parameters(), 0.1), 2, ReconstructionLoss.SumSquaredError, random.Noise);

        Assert.False(normed.UsesWrittenOutBackward);
        Assert.False(conditional.UsesWrittenOutBackward);
    }

    private static (Dictionary<string, Tensor> Parameters, Dictionary<string, double> Figures) TrainVae(ReconstructionLoss loss, Activation output, long klWarmupSteps, bool writtenOut)
    {
        manual_seed(21);
        var encoder = new Mlp(new MlpSpec([2, 16, 8, 4], Activation.LeakyReLU)).to(float64);
        var decoder = new Mlp(new MlpSpec([2, 16, 2], Activation.ReLU, output)).to(float64);
        var optimizer = new Adam([PackedParameters.Pack(encoder.parameters().Concat(decoder.parameters())).Flat], 0.01);
        using var noise = new Generator(22);
        using var vae = new VariationalAutoencoder(encoder, decoder, optimizer, 2, loss, noise, beta: 0.7, klWarmupSteps);
        // Points in (0, 1), so that the cross-entropy losses take them as targets too.
        using var data = new Generator(23);
        var batches = new DrawnBatches(() => rand([50, 2], dtype: float64, generator: data) * 0.8 + 0.1);
        return TwelveSteps(vae, () => vae.UsesWrittenOutBackward, batches, writtenOut);
    }

    private static (Dictionary<string, Tensor> Parameters, Dictionary<string, double> Figures) Train(string recipe, bool writtenOut)
    {
        manual_seed(11);
        var hidden = recipe is "wgan-gp" or "minimax-clip-norm-ema" ? Activation.LeakyReLU : Activation.ReLU;
        var output = recipe == "hinge-tanh" ? Activation.Tanh : Activation.None;
        var generator = new Mlp(new MlpSpec([2, 32, 16, 2], hidden, output)).to(float64);
        var critic = new Discriminator(new DiscriminatorSpec(2, [32, 16], Activation: hidden)).to(float64);
        var averaged = new Mlp(new MlpSpec([2, 32, 16, 2], hidden, output)).to(float64);
        var generatorOptimizer = new Adam([PackedParameters.Pack(generator.parameters()).Flat], 1e-3, 0.5, 0.999);
        optim.Optimizer criticOptimizer = recipe == "wasserstein-clip"
            ? optim.RMSProp([PackedParameters.Pack(critic.parameters()).Flat], 5e-4)
            : new Adam([PackedParameters.Pack(critic.parameters()).Flat], 1e-3, 0, 0.9);
        IGanLoss loss = recipe switch
        {
            "non-saturating" => new NonSaturatingLoss(0.9),
            "hinge-tanh" => new HingeLoss(),
            "minimax-clip-norm-ema" => new MinimaxLoss(),
            "least-squares" => new LeastSquaresLoss(),
            "own-loss" => new SoftplusMarginLoss(),
            _ => new WassersteinLoss(),
        };
        var options = new GanOptions
        {
            CriticSteps = recipe.StartsWith('w') ? 3 : 1,
            Regularizers = recipe == "wgan-gp" ? [new GradientPenalty(1)] : [],
            Constraints = recipe == "wasserstein-clip" ? [new WeightClipping(0.05)] : [],
            GradientClipNorm = recipe == "minimax-clip-norm-ema" ? 0.5 : null,
            EmaDecay = recipe == "minimax-clip-norm-ema" ? 0.9 : null,
        };
        using var noise = new Generator(12);
        using var gan = new Gan(generator, critic, loss, generatorOptimizer, criticOptimizer, noise, options, averaged);
        // Batches of 64 points on the ring of 8 Gaussians.
        using var data = new Generator(13);
        var batches = new DrawnBatches(() =>
        {
            var angles = randint(8, [64], generator: data).to(float64) * (Math.PI / 4);
            return stack([2 * angles.cos(), 2 * angles.sin()], 1) + 0.05 * randn([64, 2], dtype: float64, generator: data);
        });
        return TwelveSteps(gan, () => gan.UsesWrittenOutBackward, batches, writtenOut);
    }

    /// <summary>12 steps of <paramref name="model"/> on one path; its parameters and last figures after them.</summary>
    private static (Dictionary<string, Tensor> Parameters, Dictionary<string, double> Figures) TwelveSteps(
        IGenerativeModel model, Func<bool> usesWrittenOut, IBatchSource batches, bool writtenOut)
    {
        var figures = new Dictionary<string, double>();
        try
        {
            WrittenOutBackward.Enabled = writtenOut;
            Assert.Equal(writtenOut, usesWrittenOut());
            for (int step = 0; step < 12; step++)
            {
                using var stepScope = NewDisposeScope();
                foreach (var (name, value) in model.TrainStep(batches).Values)
                    figures[name] = value;
            }
        }
        finally
        {
            WrittenOutBackward.Enabled = true;
        }
        var parameters = new Dictionary<string, Tensor>();
        foreach (var (network, module) in model.Networks)
            foreach (var (name, parameter) in module.named_parameters())
                parameters[$"{network}.{name}"] = parameter.detach().clone().MoveToOuterDisposeScope();
        return (parameters, figures);
    }

    /// <summary>The two paths' parameters agree to 1e-10 and their figures to 1e-9 (relative where above 1).</summary>
    private static void AssertSameRun(string what, (Dictionary<string, Tensor> Parameters, Dictionary<string, double> Figures) writtenOut,
                                      (Dictionary<string, Tensor> Parameters, Dictionary<string, double> Figures) autograd)
    {
        foreach (var (name, value) in autograd.Parameters)
        {
            double error = (value - writtenOut.Parameters[name]).abs().max().item<double>();
            Assert.True(error < 1e-10, $"{what}: {name} differs by {error:E2} after 12 steps");
        }
        Assert.Equal(autograd.Figures.Keys.Order(), writtenOut.Figures.Keys.Order());
        foreach (var (name, value) in autograd.Figures)
            Assert.True(Math.Abs(value - writtenOut.Figures[name]) < 1e-9 * Math.Max(1, Math.Abs(value)), $"{what}: {name} {writtenOut.Figures[name]} against {value}");
    }

    /// <summary>A loss Latent does not know, so its derivatives come from autograd on the scores.</summary>
    private sealed class SoftplusMarginLoss : IGanLoss
    {
        public string Name => "softplus-margin";

        public bool ScoresAreLogits => false;

        public Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores) =>
            nn.functional.softplus(1 - realScores).mean() + nn.functional.softplus(1 + fakeScores).square().mean();

        public Tensor GeneratorLoss(Tensor fakeScores) => nn.functional.softplus(-fakeScores).mean();
    }
}
