using Latent.Data;
using Latent.Models;
using Latent.Recipes;
using Latent.Tests.Imaging;
using Latent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Training;

public class NonFinitePolicyTests
{
    /// <summary>ae2d with plain SGD at lr 5 on the summed squared error: the loss overflows within a few steps.</summary>
    private static Recipe Exploding()
    {
        var preset = Presets.Get("ae2d");
        return preset with { Autoencoder = preset.Autoencoder with { Loss = "sse", Optimizer = new() { Kind = "sgd", Lr = 5 } } };
    }

    [Fact]
    public void ASkippedStepIsUndoneWeightsAndOptimizerStateAndTrainingGoesOn()
    {
        var recipe = Presets.Get("ae2d");
        using var built = RecipeBuilder.Build(recipe);
        var poisoned = new PoisonedModel(built.Model, poisonAt: 5);
        var states = new Dictionary<long, byte[]>();
        var figures = new Dictionary<long, StepMetrics>();
        var recorder = new RecordingCallback(onStep: step => states[step] = Snapshot(built.Model));
        var keep = new FigureKeeper(figures);

        new Trainer([recorder, keep], NonFinitePolicy.Skip).Fit(poisoned, built.Batches, 10);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), recorder.Steps);
        Assert.Equal(1, figures[5]["skipped"]);
        Assert.True(double.IsNaN(figures[5]["loss"]));
        Assert.False(figures[6].TryGet("skipped", out _));
        Assert.Equal(states[4], states[5]); // step 5 undone: every weight and Adam moment as after step 4
        Assert.NotEqual(states[5], states[6]); // and training went on
        Assert.All(built.Model.Networks.Values.SelectMany(n => n.parameters()), p => Assert.True(p.isfinite().all().item<bool>()));
    }

    [Fact]
    public void SkippingGivesUpAfterTenInARowAndSaysSo()
    {
        using var built = RecipeBuilder.Build(Exploding());

        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(onNonFinite: NonFinitePolicy.Skip).Fit(built.Model, built.Batches, 500));

        Assert.Equal(Trainer.MaxConsecutiveSkips, error.Skipped);
        Assert.Contains("after 10 steps in a row were skipped", error.Message);
        Assert.Contains("loss is", error.Message);
    }

    [Fact]
    public void ARunThatDivergesKeepsItsLastGoodCheckpointAndNamesIt()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");
        var recipe = Exploding() with { Steps = 500, Checkpoints = new() { Every = 1, KeepLast = 2 } };

        var error = Assert.Throws<TrainingDivergedException>(() => RecipeRunner.Train(recipe, new RunOptions { OutputFolder = folder, WritePlots = false }));

        var history = new CheckpointHistory(Path.Combine(folder, RunFolder.CheckpointsFolder));
        var (lastStep, lastFolder) = history.Latest!.Value;
        Assert.Equal(error.Step - 1, lastStep);
        Assert.Contains($"the last good checkpoint is {lastFolder} (step {lastStep})", error.Message);
        using var reloaded = RecipeRunner.Load(folder);
        Assert.All(reloaded.Model.Networks.Values.SelectMany(n => n.parameters()), p => Assert.True(p.isfinite().all().item<bool>()));
        Assert.Equal(error.Step - 1, File.ReadAllLines(Path.Combine(folder, RunFolder.MetricsFile)).Length);
    }

    [Fact]
    public void OnNanIsCheckedAgainstItsAllowedValues()
    {
        var error = Assert.Throws<RecipeException>(() => RecipeValidator.Validate(Presets.Get("gan8g") with { OnNan = "ignore" }));

        Assert.Contains("on_nan", error.Message);
        Assert.Contains("stop, skip", error.Message);
    }

    /// <summary>Every parameter, buffer and optimizer state of a model, as bytes.</summary>
    private static byte[] Snapshot(IGenerativeModel model)
    {
        using var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            foreach (var network in model.Networks.Values)
            {
                foreach (var (_, tensor) in network.state_dict())
                    writer.Write(tensor.cpu().bytes.ToArray());
            }
            foreach (var optimizer in model.Optimizers.Values)
                ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
        }
        return bytes.ToArray();
    }

    /// <summary>Keeps each step's figures.</summary>
    private sealed class FigureKeeper(Dictionary<long, StepMetrics> figures) : ITrainingCallback
    {
        public void OnStep(TrainingContext context, long step, StepMetrics metrics) => figures[step] = metrics;
    }

    /// <summary>A real model whose step <c>poisonAt</c> fills its first weight with NaN after the update, as an overflow would.</summary>
    private sealed class PoisonedModel(IGenerativeModel inner, long poisonAt) : IGenerativeModel
    {
        private long _steps;

        public IReadOnlyDictionary<string, nn.Module> Networks => inner.Networks;

        public IReadOnlyDictionary<string, optim.Optimizer> Optimizers => inner.Optimizers;

        public StepMetrics TrainStep(IBatchSource batches)
        {
            var metrics = inner.TrainStep(batches);
            if (++_steps != poisonAt)
                return metrics;
            using (no_grad())
                inner.Networks.Values.First().parameters().First().fill_(double.NaN);
            return metrics.Add("loss", double.NaN);
        }

        public void SetTraining(bool training) => inner.SetTraining(training);

        public void Dispose()
        {
        }
    }
}
