using Latent.Recipes;
using Latent.Training;
using TorchSharp;

namespace Latent.Tests.Training;

[Collection(NativeMemoryCollection.Name)]
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

    [Theory]
    [InlineData("gan1d")]
    [InlineData("wgangp8g")]
    [InlineData("vae2d")]
    public void LiveNativeTensorsAreTheSameAfterStep100AndStep1000OfTheRealPath(string preset)
    {
        // The path `latent train` takes, with every callback a user gets: metrics.jsonl, TensorBoard events (scalars
        // and weight histograms), and checkpoints (every 250 steps here, so three are written between the counts).
        // Tensor.TotalCount counts every live native tensor of the process, inside dispose scopes or not.
        var recipe = Presets.Get(preset) with
        {
            Steps = 1000, Seed = 3,
            Checkpoints = new() { Every = 250 },
            Logging = new() { Tensorboard = true, HistogramsEvery = 100 },
        };
        var counts = new Dictionary<long, (long Process, long Thread)>();
        var probe = new CountAt([100, 1000], counts);
        string folder = Path.Combine(Path.GetTempPath(), $"latent-memory-test-{Guid.NewGuid():N}");
        try
        {
            RecipeRunner.Train(recipe, new RunOptions { OutputFolder = folder, WritePlots = false, Callbacks = [probe] });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // The counter counts live tensors, so an unchanged count means something: one more tensor shows.
        long live = torch.Tensor.TotalCount;
        using (var extra = torch.zeros(1))
            Assert.Equal(live + 1, torch.Tensor.TotalCount);
        Assert.True(counts[100].Process > 0);
        Assert.Equal(counts[100].Process, counts[1000].Process);
        Assert.Equal(counts[100].Thread, counts[1000].Thread);
    }

    [Fact]
    public void DcganStepsWithAGradientPenaltyLeaveNoLiveNativeTensorsBehind()
    {
        // Latent's convolutions build autograd functions of their own (Nets/PatchColumns.cs), and a gradient penalty
        // differentiates through them twice; the graphs they join must free everything they hold, step after step.
        using var generator = new Latent.Nets.DcganGenerator(new Latent.Nets.DcganGeneratorSpec(8, 16, 3, Width: 4));
        using var critic = new Latent.Nets.DcganDiscriminator(new Latent.Nets.DcganDiscriminatorSpec(16, 3, Width: 4, BatchNorm: false));
        var parameters = generator.parameters().Concat(critic.parameters()).ToList();
        using var optimizer = torch.optim.Adam(parameters, 1e-3);
        torch.manual_seed(5);
        void Steps(int count)
        {
            for (int i = 0; i < count; i++)
            {
                using var scope = torch.NewDisposeScope();
                var fake = generator.call(torch.randn(4, 8)).detach().requires_grad_(true);
                var scores = critic.call(fake);
                var gradient = torch.autograd.grad([scores.sum()], [fake], create_graph: true, retain_graph: true)[0];
                var loss = scores.mean() - critic.call(generator.call(torch.randn(4, 8))).mean() + gradient.square().sum();
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Steps(20);
        long after20 = torch.Tensor.TotalCount;
        Steps(180);

        Assert.Equal(after20, torch.Tensor.TotalCount);
    }

    /// <summary>Counts live tensors after the given steps, once the garbage collector has finalized whatever it can.</summary>
    private sealed class CountAt(long[] steps, Dictionary<long, (long, long)> counts) : ITrainingCallback
    {
        public void OnStep(TrainingContext context, long step, StepMetrics metrics)
        {
            if (!steps.Contains(step))
                return;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            counts[step] = (torch.Tensor.TotalCount, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
    }
}
