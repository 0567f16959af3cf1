using Latent.Recipes;
using Latent.Training;
using TorchSharp;

namespace Latent.Tests.Training;

public class TrainerMemoryTests
{
    [Fact]
    public void TwoHundredGanStepsLeaveNoLiveTensorsBehind()
    {
        // A small GAN with every per-step piece that makes tensors: n_critic, a gradient penalty, feature matching,
        // gradient-norm clipping, the EMA and minibatch std.
        var recipe = new Recipe
        {
            Seed = 7, Steps = 200, BatchSize = 32, Family = "gan", Data = new() { Kind = "ring" },
            Gan = new()
            {
                Loss = "wasserstein", CriticSteps = 2, GradientPenalty = 10, FeatureMatching = 0.1, GradientClipNorm = 10, Ema = 0.9,
                Generator = new() { Hidden = [16] }, Discriminator = new() { Hidden = [16], MinibatchStdDev = true },
            },
        };
        using var built = RecipeBuilder.Build(recipe);
        var trainer = new Trainer();

        trainer.Fit(built.Model, built.Batches, 20); // optimizer state exists from here on
        long after20 = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        trainer.Fit(built.Model, built.Batches, 200, startStep: 20);
        long after200 = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.Equal(after20, after200);
    }

    [Fact]
    public void AutoencoderAndVaeStepsLeaveNoLiveTensorsBehind()
    {
        foreach (var name in new[] { "dae2d", "vae2d" })
        {
            using var built = RecipeBuilder.Build(Presets.Get(name));
            var trainer = new Trainer();
            trainer.Fit(built.Model, built.Batches, 5);
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

            trainer.Fit(built.Model, built.Batches, 50, startStep: 5);

            Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
    }
}
