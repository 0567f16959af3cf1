using Latent.Recipes;
using Latent.Serialization;
using Latent.Tests.Imaging;
using Latent.Training;

namespace Latent.Tests.Recipes;

/// <summary>
/// A run stopped at step k and resumed from its checkpoint gives the same numbers, bit for bit, as one never stopped:
/// the checkpoint holds weights, optimizer states, the model's counters, every random stream and the batch position.
/// </summary>
public class ResumeTests
{
    /// <summary>A GAN with everything that keeps state: dropout (libtorch's global generator), an EMA generator, a
    /// gradient penalty (the noise stream), two critic steps, a learning-rate decay and Adam's moments.</summary>
    private static readonly Recipe Gan = new()
    {
        Name = "resume-gan", Seed = 3, Steps = 40, BatchSize = 32, Threads = 1, Family = "gan", Data = new() { Kind = "ring" },
        Gan = new()
        {
            Loss = "wasserstein", CriticSteps = 2, GradientPenalty = 1, Ema = 0.9,
            Generator = new() { Hidden = [16] }, Discriminator = new() { Hidden = [16], Dropout = 0.3 },
        },
        LrDecay = new() { Gamma = 0.9, Every = 7 },
        Checkpoints = new() { Every = 10, KeepLast = 2 },
    };

    /// <summary>A VAE on images in epochs (100 images, batches of 32: a stop mid-epoch must keep the epoch's order)
    /// with a KL warm-up (the model's step counter).</summary>
    private static readonly Recipe Vae = new()
    {
        Name = "resume-vae", Seed = 5, Steps = 30, BatchSize = 32, Threads = 1, Family = "vae",
        Data = new() { Kind = "random-images", ImageSize = 8, Channels = 1, Count = 100 },
        Vae = new() { LatentDim = 3, KlWarmupSteps = 20, Encoder = new() { Hidden = [16] }, Decoder = new() { Hidden = [16] } },
        Checkpoints = new() { Every = 0 },
    };

    [Theory]
    [InlineData("gan", 17)]
    [InlineData("gan", 20)] // stopped exactly where a periodic checkpoint is written
    [InlineData("vae", 13)]
    public void AStoppedAndResumedRunIsBitIdenticalToOneNeverStopped(string family, long stopAfter)
    {
        var recipe = family == "gan" ? Gan : Vae;
        using var root = new TemporaryFolder();
        string straight = Path.Combine(root.Path, "straight"), resumed = Path.Combine(root.Path, "resumed");
        RecipeRunner.Train(recipe, new RunOptions { OutputFolder = straight, WritePlots = false });

        using var stop = new CancellationTokenSource();
        var stopped = RecipeRunner.Train(recipe, new RunOptions
        {
            OutputFolder = resumed, WritePlots = false, Cancellation = stop.Token,
            Callbacks = [new StopAt(stopAfter, stop)],
        });
        Assert.False(stopped.Completed);
        Assert.Equal(stopAfter, stopped.StepsDone);
        Assert.Empty(stopped.Evaluation);
        Assert.False(File.Exists(Path.Combine(resumed, RunFolder.EvaluationFile)));
        var finished = RecipeRunner.Resume(resumed, new RunOptions { WritePlots = false });

        Assert.True(finished.Completed);
        Assert.Equal(stopAfter + 1, finished.FirstStep);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, RunFolder.MetricsFile)), File.ReadAllBytes(Path.Combine(resumed, RunFolder.MetricsFile)));
        Assert.Equal(File.ReadAllText(Path.Combine(straight, RunFolder.EvaluationFile)), File.ReadAllText(Path.Combine(resumed, RunFolder.EvaluationFile)));
        Assert.Equal(ReadIfAny(Path.Combine(straight, RunFolder.HealthFile)), ReadIfAny(Path.Combine(resumed, RunFolder.HealthFile)));
        string last = $"step-{recipe.Steps:D6}";
        AssertSameCheckpoint(Path.Combine(straight, RunFolder.CheckpointsFolder, last), Path.Combine(resumed, RunFolder.CheckpointsFolder, last));
    }

    [Fact]
    public void ResumingWithMoreStepsContinuesAsIfTheLongerRunHadBeenAskedForAtTheStart()
    {
        using var root = new TemporaryFolder();
        string straight = Path.Combine(root.Path, "straight"), extended = Path.Combine(root.Path, "extended");
        RecipeRunner.Train(Gan, new RunOptions { OutputFolder = straight, WritePlots = false });
        RecipeRunner.Train(Gan with { Steps = 25 }, new RunOptions { OutputFolder = extended, WritePlots = false });

        var error = Assert.Throws<RecipeException>(() => RecipeRunner.Resume(extended, new RunOptions()));
        Assert.Contains("has done its 25 steps; pass --steps N with N above 25", error.Message);
        RecipeRunner.Resume(extended, new RunOptions { WritePlots = false }, recipe => recipe with { Steps = 40 });

        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, RunFolder.MetricsFile)), File.ReadAllBytes(Path.Combine(extended, RunFolder.MetricsFile)));
        Assert.Equal(40, RecipeJson.Parse(File.ReadAllText(Path.Combine(extended, RunFolder.RecipeFile)), "recipe.json").Steps);
    }

    [Fact]
    public void OnlyTheLastCheckpointsAreKeptAndTheLogsAreCutBackToTheCheckpointResumedFrom()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");
        RecipeRunner.Train(Gan, new RunOptions { OutputFolder = folder, WritePlots = false });
        var history = new CheckpointHistory(Path.Combine(folder, RunFolder.CheckpointsFolder));
        Assert.Equal([30L, 40L], history.List().Select(c => c.Step)); // keep_last 2 of 10, 20, 30, 40

        // A crash after step 40's line and the 40 checkpoint lost: metrics run ahead of the newest checkpoint, with a torn line.
        Directory.Delete(history.PathOf(40), recursive: true);
        File.AppendAllText(Path.Combine(folder, RunFolder.MetricsFile), "{\"step\":41,\"d_lo");
        var result = RecipeRunner.Resume(folder, new RunOptions { WritePlots = false });

        Assert.Equal(31, result.FirstStep);
        string[] lines = File.ReadAllLines(Path.Combine(folder, RunFolder.MetricsFile));
        Assert.Equal(40, lines.Length);
        Assert.All(lines.Select((line, i) => (line, i)), l => Assert.StartsWith($"{{\"step\":{l.i + 1},", l.line, StringComparison.Ordinal));
    }

    [Fact]
    public void ADamagedNewestCheckpointFallsBackToTheOneBefore()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");
        RecipeRunner.Train(Gan, new RunOptions { OutputFolder = folder, WritePlots = false });
        var history = new CheckpointHistory(Path.Combine(folder, RunFolder.CheckpointsFolder));
        string weights = Path.Combine(history.PathOf(40), "generator.safetensors");
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..100]); // truncated

        var log = new StringWriter();
        var result = RecipeRunner.Resume(folder, new RunOptions { WritePlots = false, Progress = log }, recipe => recipe with { Steps = 45 });

        Assert.Equal(31, result.FirstStep);
        Assert.Contains($"checkpoint {history.PathOf(40)} cannot be read", log.ToString());
        Assert.Contains("generator.safetensors", log.ToString());
    }

    [Fact]
    public void AResumedRunStoppedBeforeItsFirstStepStillPointsAtTheCheckpointItResumedFrom()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");
        RecipeRunner.Train(Gan with { Steps = 25 }, new RunOptions { OutputFolder = folder, WritePlots = false });
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();

        var result = RecipeRunner.Resume(folder, new RunOptions { WritePlots = false, Cancellation = stopped.Token }, recipe => recipe with { Steps = 40 });

        Assert.False(result.Completed);
        Assert.Equal(25, result.StepsDone);
        Assert.Equal(new CheckpointHistory(Path.Combine(folder, RunFolder.CheckpointsFolder)).PathOf(25), result.Checkpoint);
    }

    [Fact]
    public void ARunWithoutACheckpointCannotBeResumedAndSaysWhy()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, RunFolder.RecipeFile), RecipeJson.Serialize(Gan));

        var error = Assert.Throws<RecipeException>(() => RecipeRunner.Resume(folder, new RunOptions()));

        Assert.Contains("has no checkpoint to resume from", error.Message);
        Assert.Contains("checkpoints.every = 10", error.Message);
    }

    [Fact]
    public void TheBestCheckpointByAFigureIsRecordedAndNeverPruned()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");
        var recipe = Gan with { Checkpoints = new() { Every = 5, KeepLast = 1, Best = "g_loss", BestMode = "min" } };
        RecipeRunner.Train(recipe, new RunOptions { OutputFolder = folder, WritePlots = false });

        var history = new CheckpointHistory(Path.Combine(folder, RunFolder.CheckpointsFolder));
        var best = history.Best!;
        var gLossAtCheckpoints = File.ReadAllLines(Path.Combine(folder, RunFolder.MetricsFile))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("step").GetInt64() % 5 == 0)
            .Select(e => (Step: e.GetProperty("step").GetInt64(), Loss: e.GetProperty("g_loss").GetDouble()))
            .ToList();
        var expected = gLossAtCheckpoints.MinBy(c => c.Loss);
        Assert.Equal(expected.Step, best.Step);
        Assert.Equal(expected.Loss, best.Value);
        Assert.Equal(expected.Step == 40 ? [40L] : [expected.Step, 40L], history.List().Select(c => c.Step));
        Assert.Equal(expected.Step, Checkpoint.ReadInfo(history.PathOf(best.Step)).Step);
    }

    private static string ReadIfAny(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    private static void AssertSameCheckpoint(string expected, string actual)
    {
        var names = Directory.GetFiles(expected).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, Directory.GetFiles(actual).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
        foreach (string name in names.Where(n => n.EndsWith(".safetensors", StringComparison.Ordinal) || n.EndsWith(".optimizer", StringComparison.Ordinal)))
            Assert.True(File.ReadAllBytes(Path.Combine(expected, name)).SequenceEqual(File.ReadAllBytes(Path.Combine(actual, name))), $"{name} differs");
        using var file = SafeTensorsFile.Open(Path.Combine(actual, Checkpoint.StateFile));
        Assert.Contains(file.Tensors, t => t.Name == "random.global");
    }

    /// <summary>Cancels the run after a given step, as Ctrl+C does after the step it arrives in.</summary>
    private sealed class StopAt(long step, CancellationTokenSource stop) : ITrainingCallback
    {
        public void OnStep(TrainingContext context, long current, StepMetrics metrics)
        {
            if (current == step)
                stop.Cancel();
        }
    }
}
