using Latent.Recipes;
using Latent.Tests.Imaging;
using Latent.Training;

namespace Latent.Tests.Recipes;

public class RecipeRunnerTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // gan1d for 20 steps: a 1D run evaluates quickly (moments, exact W1, KS) and has every kind of checkpoint file.
    private static readonly Recipe ShortRun = Presets.Get("gan1d") with { Steps = 20, Seed = 3 };

    [Fact]
    public void TrainWritesTheWholeRunFolder()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");

        var result = RecipeRunner.Train(ShortRun, new RunOptions { OutputFolder = folder });

        Assert.Equal(folder, result.Folder);
        Assert.True(result.Completed);
        Assert.Equal(RecipeJson.Serialize(ShortRun), File.ReadAllText(Path.Combine(folder, RunFolder.RecipeFile)));
        var metrics = File.ReadAllLines(Path.Combine(folder, RunFolder.MetricsFile));
        Assert.Equal(20, metrics.Length);
        Assert.StartsWith("{\"step\":20,\"d_loss\":", metrics[^1]);
        Assert.Equal(RunFolder.FiguresJson(result.Evaluation), File.ReadAllText(Path.Combine(folder, RunFolder.EvaluationFile)));
        Assert.Equal(["mean", "std", "wasserstein1", "ks"], result.Evaluation.Select(f => f.Key));
        Assert.Equal(Path.Combine(folder, RunFolder.SamplesFile), result.SamplesPlot);
        Assert.Equal(PngSignature, File.ReadAllBytes(result.SamplesPlot!).Take(8));
        Assert.Equal(["checkpoint.json", "discriminator.optimizer", "discriminator.safetensors", "generator.optimizer", "generator.safetensors",
                      "generator_ema.safetensors", "recipe.json", "state.safetensors"],
                     Directory.GetFiles(Path.Combine(folder, RunFolder.CheckpointsFolder, "step-000020")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(20, result.StepsDone);
        Assert.Equal(Path.Combine(folder, RunFolder.CheckpointsFolder, "step-000020"), result.Checkpoint);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void SampleEveryWritesIntermediatePlots()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");

        RecipeRunner.Train(ShortRun with { SampleEvery = 8 }, new RunOptions { OutputFolder = folder });

        Assert.Equal(["samples-000008.png", "samples-000016.png", "samples.png"],
                     Directory.GetFiles(folder, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EvaluationDuringTrainingWritesItsHistoryAndLeavesTrainingUnchanged()
    {
        using var root = new TemporaryFolder();
        string plain = Path.Combine(root.Path, "plain"), watched = Path.Combine(root.Path, "watched");

        RecipeRunner.Train(ShortRun, new RunOptions { OutputFolder = plain, WritePlots = false });
        var result = RecipeRunner.Train(ShortRun with { Evaluation = new() { Every = 8 } }, new RunOptions { OutputFolder = watched });

        // Scoring draws from its own stream in evaluation mode: the same steps, byte for byte.
        Assert.Equal(File.ReadAllText(Path.Combine(plain, RunFolder.MetricsFile)), File.ReadAllText(Path.Combine(watched, RunFolder.MetricsFile)));
        string[] history = File.ReadAllLines(Path.Combine(watched, RunFolder.EvaluationHistoryFile));
        Assert.Equal(3, history.Length); // steps 8, 16 and the last, 20
        Assert.StartsWith("{\"step\":8,\"mean\":", history[0], StringComparison.Ordinal);
        Assert.StartsWith("{\"step\":20,", history[2], StringComparison.Ordinal);
        // The last line scores the final model as eval.json does.
        Assert.Equal(JsonLine.Of(20, result.Evaluation), history[2]);
        Assert.Equal(PngSignature, File.ReadAllBytes(Path.Combine(watched, RunFolder.EvaluationPlotFile)).Take(8));
    }

    [Fact]
    public void ASecondTrainIntoTheSameFolderIsRefusedAndLeavesItUntouched()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");
        RecipeRunner.Train(ShortRun, new RunOptions { OutputFolder = folder, WritePlots = false });
        var before = Snapshot(folder);

        var error = Assert.Throws<RecipeException>(() => RecipeRunner.Train(ShortRun with { Seed = 4 }, new RunOptions { OutputFolder = folder }));

        Assert.Contains(folder, error.Message);
        Assert.Contains("already holds a run", error.Message);
        Assert.Equal(before, Snapshot(folder));
    }

    [Fact]
    public void AnImpossibleRecipeLeavesNoFolderBehind()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");

        Assert.Throws<RecipeException>(() => RecipeRunner.Train(ShortRun with { Steps = 0 }, new RunOptions { OutputFolder = folder }));

        Assert.False(Directory.Exists(folder));
    }

    public static TheoryData<string> ShortRuns => ["gan1d", "vae2d-dropout", "ae2d-batchnorm"];

    [Theory]
    [MemberData(nameof(ShortRuns))]
    public void LoadOfAFinishedRunReproducesItsEvaluation(string run)
    {
        // Networks with dropout or BatchNorm behave differently in training and evaluation mode, so the figures agree
        // only if the run's evaluation, like the loaded one, is taken in evaluation mode.
        var vae = Presets.Get("vae2d");
        var ae = Presets.Get("ae2d");
        var recipe = run switch
        {
            // On the circle rather than the clusters: a fixed set that is no mixture evaluates fast (no MMD).
            "vae2d-dropout" => vae with
            {
                Steps = 20, BatchSize = 200, Data = new() { Kind = "circle" },
                Vae = vae.Vae with { Encoder = vae.Vae.Encoder with { Dropout = 0.3 } },
            },
            "ae2d-batchnorm" => ae with { Steps = 20, Autoencoder = ae.Autoencoder with { Encoder = ae.Autoencoder.Encoder with { BatchNorm = true } } },
            _ => ShortRun,
        };
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");
        var result = RecipeRunner.Train(recipe, new RunOptions { OutputFolder = folder, WritePlots = false });

        using var loaded = RecipeRunner.Load(folder);

        Assert.Equal(RecipeJson.Serialize(recipe), RecipeJson.Serialize(loaded.Recipe));
        Assert.All(loaded.Model.Networks.Values, network => Assert.False(network.training));
        var evaluation = RunEvaluator.Evaluate(loaded);
        Assert.Equal(result.Evaluation, evaluation);
        Assert.Equal(File.ReadAllText(Path.Combine(folder, RunFolder.EvaluationFile)), RunFolder.FiguresJson(evaluation));
    }

    [Fact]
    public void LoadOfAMissingFolderNamesIt()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "no-such-run");

        var error = Assert.Throws<RecipeException>(() => RecipeRunner.Load(folder));

        Assert.Contains($"'{folder}' does not exist", error.Message);
    }

    [Fact]
    public void LoadOfAFolderWithoutARecipeOrCheckpointSaysWhatIsMissing()
    {
        using var root = new TemporaryFolder();
        var error = Assert.Throws<RecipeException>(() => RecipeRunner.Load(root.Path));
        Assert.Contains("has no recipe.json", error.Message);

        File.WriteAllText(Path.Combine(root.Path, RunFolder.RecipeFile), RecipeJson.Serialize(ShortRun));
        error = Assert.Throws<RecipeException>(() => RecipeRunner.Load(root.Path));
        Assert.Contains("has no checkpoint in checkpoints/", error.Message);
    }

    [Fact]
    public void UnnamedRunsGoToTheNextFreeNumberedFolder()
    {
        using var root = new TemporaryFolder();
        var options = new RunOptions { RunsRoot = root.Path, WritePlots = false };

        var first = RecipeRunner.Train(ShortRun with { Steps = 2 }, options);
        var second = RecipeRunner.Train(ShortRun with { Steps = 2 }, options);

        Assert.Equal(Path.Combine(root.Path, "gan1d"), first.Folder);
        Assert.Equal(Path.Combine(root.Path, "gan1d-2"), second.Folder);
    }

    private static Dictionary<string, (long Length, DateTime Written, string Hash)> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            path => path,
            path => (new FileInfo(path).Length, File.GetLastWriteTimeUtc(path), Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))));
}
