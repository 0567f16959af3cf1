using Latent.Recipes;
using Latent.Runtime;
using Latent.Tests.Imaging;
using Latent.Training;

namespace Latent.Tests.Training;

public class TrainerTests
{
    [Fact]
    public void TheSameSeedTwiceWritesByteIdenticalMetrics()
    {
        using var folder = new TemporaryFolder();
        // gan8g at batch 64 rather than 256: the same nets and loss, a quarter of the work.
        var recipe = Presets.Get("gan8g") with { Steps = 50, Seed = 4, BatchSize = 64 };

        byte[] first = TrainLogged(recipe, Path.Combine(folder.Path, "first.jsonl"));
        byte[] second = TrainLogged(recipe, Path.Combine(folder.Path, "second.jsonl"));
        byte[] otherSeed = TrainLogged(recipe with { Seed = 5 }, Path.Combine(folder.Path, "other.jsonl"));

        Assert.Equal(50, File.ReadAllLines(Path.Combine(folder.Path, "first.jsonl")).Length);
        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void AnExplodingAutoencoderStopsWithTheStepAndTheMetricNamed()
    {
        // ae2d with plain SGD at lr 5: the summed squared error overflows to ∞, then NaN, within a few steps.
        var preset = Presets.Get("ae2d");
        var recipe = preset with { Autoencoder = preset.Autoencoder with { Loss = "sse", Optimizer = new() { Kind = "sgd", Lr = 5 } } };
        using var built = RecipeBuilder.Build(recipe);

        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer().Fit(built.Model, built.Batches, 500));

        Assert.Equal("loss", error.Metric);
        Assert.False(double.IsFinite(error.Value));
        Assert.InRange(error.Step, 2, 100);
        Assert.Contains($"step {error.Step}", error.Message);
        Assert.Contains("loss is", error.Message);
    }

    [Fact]
    public void ANonFiniteFigureStopsTrainingBeforeCallbacksSeeItAndEndsThemAsIncomplete()
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(step => step == 4 ? double.PositiveInfinity : 1.0 / step);
        var recorder = new RecordingCallback();

        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer([recorder]).Fit(model, new CountingBatches(), 10));

        Assert.Equal(4, error.Step);
        Assert.Equal("loss", error.Metric);
        Assert.Equal(double.PositiveInfinity, error.Value);
        Assert.Equal([1L, 2L, 3L], recorder.Steps);
        Assert.Equal(false, recorder.Completed);
    }

    [Fact]
    public void FitRunsFromTheStartStepToTheLastAndCallsCallbacksInOrder()
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(step => step);
        var first = new RecordingCallback();
        var second = new RecordingCallback(first.Log);
        var batches = new CountingBatches();

        var last = new Trainer([first, second]).Fit(model, batches, steps: 7, startStep: 4);

        Assert.Equal([5L, 6L, 7L], first.Steps);
        Assert.Equal(3, batches.Draws);
        Assert.Equal(3, last["loss"]); // the model's own third step
        Assert.Equal(true, first.Completed);
        Assert.True(model.Training);
        Assert.Equal(new TrainingContext(model, 7, 5), first.Context);
        Assert.Equal(["start", "start", "step 5", "step 5", "step 6", "step 6", "step 7", "step 7", "end", "end"], first.Log);
    }

    [Fact]
    public void CancellationStopsAfterTheCurrentStepAndEndsAsIncomplete()
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(_ => 0);
        using var cancellation = new CancellationTokenSource();
        var recorder = new RecordingCallback(onStep: step => { if (step == 3) cancellation.Cancel(); });

        new Trainer([recorder]).Fit(model, new CountingBatches(), 10, cancellation: cancellation.Token);

        Assert.Equal([1L, 2L, 3L], recorder.Steps);
        Assert.Equal(false, recorder.Completed);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, -1)]
    [InlineData(5, 6)]
    public void StepsBelowOneOrAStartOutsideTheRunAreRefused(long steps, long startStep)
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(_ => 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer().Fit(model, new CountingBatches(), steps, startStep));
    }

    private static byte[] TrainLogged(Recipe recipe, string path)
    {
        using var built = RecipeBuilder.Build(recipe);
        new Trainer([new MetricsLog(path)]).Fit(built.Model, built.Batches, recipe.Steps);
        return File.ReadAllBytes(path);
    }
}

/// <summary>Records what a trainer tells its callbacks.</summary>
internal sealed class RecordingCallback(List<string>? log = null, Action<long>? onStep = null) : ITrainingCallback
{
    public List<string> Log { get; } = log ?? [];

    public List<long> Steps { get; } = [];

    public bool? Completed { get; private set; }

    public TrainingContext? Context { get; private set; }

    public void OnStart(TrainingContext context)
    {
        Context = context;
        Log.Add("start");
    }

    public void OnStep(TrainingContext context, long step, StepMetrics metrics)
    {
        Steps.Add(step);
        Log.Add($"step {step}");
        onStep?.Invoke(step);
    }

    public void OnEnd(TrainingContext context, bool completed)
    {
        Completed = completed;
        Log.Add("end");
    }
}
