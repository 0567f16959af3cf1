using Latent.Data;
using Latent.Models;
using Latent.Models.Losses;
using Latent.Models.Regularizers;
using Latent.Nets;
using Latent.Runtime;
using Latent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

/// <summary>
/// A critic whose scores depend on each row alone scores the real and the generated batch in one pass; the steps are
/// the ones two passes take, to float64 rounding. The two-pass GAN is the same one with its critic behind a wrapper
/// Latent does not recognise.
/// </summary>
public class OnePassScoringTests
{
    public OnePassScoringTests() => LatentRuntime.EnsureLoaded();

    [Theory]
    [InlineData("unconditional")]
    [InlineData("conditional")]
    [InlineData("r1")]
    [InlineData("gradient-penalty")]
    public void OnePassStepsMatchTwoPasses(string recipe)
    {
        using var scope = NewDisposeScope();
        var onePass = Train(recipe, hideCritic: false);
        var twoPasses = Train(recipe, hideCritic: true);

        foreach (var (name, value) in twoPasses)
        {
            double error = (value - onePass[name]).abs().max().item<double>();
            Assert.True(error < 1e-10, $"{recipe}: {name} differs by {error:E2} after 12 steps");
        }
    }

    [Theory]
    [InlineData("plain", true)]
    [InlineData("dropout", true)]
    [InlineData("batch-norm", false)]
    [InlineData("spectral-norm", false)]
    [InlineData("minibatch-stddev", false)]
    [InlineData("minibatch-discrimination", false)]
    public void OnlyACriticWithoutBatchStatisticsOrPowerIterationsScoresInOnePass(string what, bool expected)
    {
        var spec = new DiscriminatorSpec(2, [8], Dropout: what == "dropout" ? 0.3 : 0, BatchNorm: what == "batch-norm",
                                         SpectralNorm: what == "spectral-norm", MinibatchStdDev: what == "minibatch-stddev",
                                         MinibatchDiscrimination: what == "minibatch-discrimination" ? new MinibatchDiscriminationSpec() : null);
        using var critic = new Discriminator(spec);
        using var conditional = new LabelConditioned(new Discriminator(spec), 2, 4);

        Assert.Equal(expected, NetworkCall.ScoresEachRowAlone(critic));
        Assert.Equal(expected, NetworkCall.ScoresEachRowAlone(conditional));
    }

    [Fact]
    public void DcganAndUnknownCriticsScoreInTwoPasses()
    {
        using var dcgan = new DcganDiscriminator(new DcganDiscriminatorSpec(16, 1, 8, BatchNorm: false));
        using var hidden = new Hidden(new Discriminator(new DiscriminatorSpec(2, [8])));

        Assert.False(NetworkCall.ScoresEachRowAlone(dcgan));
        Assert.False(NetworkCall.ScoresEachRowAlone(hidden));
    }

    /// <summary>The critic's parameters after 12 steps of a GAN that takes autograd (its generator has batch norm).</summary>
    private static Dictionary<string, Tensor> Train(string recipe, bool hideCritic)
    {
        manual_seed(31);
        bool conditional = recipe == "conditional";
        int noiseWidth = conditional ? 2 + 3 : 2, criticInput = conditional ? 2 + 3 : 2;
        nn.Module generator = new Mlp(new MlpSpec([noiseWidth, 16, 2], BatchNorm: true)).to(float64);
        var critic = new Discriminator(new DiscriminatorSpec(criticInput, [16, 8], Activation.LeakyReLU)).to(float64);
        nn.Module scorer = critic;
        if (conditional)
        {
            generator = new LabelConditioned((Mlp)generator, 2, 3).to(float64);
            scorer = new LabelConditioned(critic, 2, 3).to(float64);
        }
        var generatorOptimizer = new Adam([PackedParameters.Pack(generator.parameters()).Flat], 1e-3, 0.5, 0.999);
        var criticOptimizer = new Adam([PackedParameters.Pack(scorer.parameters()).Flat], 1e-3, 0.5, 0.999);
        var options = new GanOptions
        {
            CriticSteps = recipe == "gradient-penalty" ? 2 : 1,
            Regularizers = recipe switch { "r1" => [new R1Penalty(1)], "gradient-penalty" => [new GradientPenalty(1)], _ => [] },
        };
        IGanLoss loss = recipe == "gradient-penalty" ? new WassersteinLoss() : new NonSaturatingLoss(0.9);
        using var noise = new Generator(32);
        using var data = new Generator(33);
        var gan = conditional
            ? new Gan((LabelConditioned)generator, hideCritic ? new HiddenConditional((LabelConditioned)scorer) : (LabelConditioned)scorer, 2, loss,
                      generatorOptimizer, criticOptimizer, noise, options)
            : new Gan((Mlp)generator, hideCritic ? new Hidden(critic) : critic, loss, generatorOptimizer, criticOptimizer, noise, options);
        using (gan)
        {
            var batches = new DrawnBatches(() => new Batch(randn([32, 2], dtype: float64, generator: data) * 0.5 + 1,
                                                           randint(0, 2, [32], dtype: int64, generator: data)));
            for (int step = 0; step < 12; step++)
            {
                using var stepScope = NewDisposeScope();
                gan.TrainStep(batches);
            }
            return critic.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().MoveToOuterDisposeScope());
        }
    }

    /// <summary>A critic passed through a module Latent does not know, so it cannot tell how the scores depend on the batch.</summary>
    private sealed class Hidden : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> inner;

        public Hidden(nn.Module<Tensor, Tensor> inner) : base(nameof(Hidden))
        {
            this.inner = inner;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => inner.forward(input);
    }

    private sealed class HiddenConditional : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor, Tensor> inner;

        public HiddenConditional(nn.Module<Tensor, Tensor, Tensor> inner) : base(nameof(HiddenConditional))
        {
            this.inner = inner;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input, Tensor labels) => inner.forward(input, labels);
    }
}
