using System.Diagnostics;
using Latent.Recipes;
using Latent.Training;

namespace Latent.Bench.Speed;

/// <summary>
/// What the run folder's per-step writers cost, timed alone on a workload's real figures: microseconds per step of
/// <c>metrics.jsonl</c>, of TensorBoard scalars, and of a checkpoint spread over the 1,000 steps between two.
/// </summary>
internal sealed record CallbackCost(string Workload, double MetricsLogMicroseconds, double TensorBoardMicroseconds, double CheckpointMilliseconds, long CheckpointEvery)
{
    public double CheckpointMicrosecondsPerStep => 1000 * CheckpointMilliseconds / CheckpointEvery;

    public static CallbackCost Measure(string workload, int calls = 20_000)
    {
        var recipe = Presets.Get(workload) with { Seed = 0, Epochs = null, Steps = 1 };
        using var built = RecipeBuilder.Build(recipe);
        var figures = built.Fit(); // a real step's figures, and optimizer state for the checkpoint
        string folder = Path.Combine(Path.GetTempPath(), $"latent-callbacks-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var context = new TrainingContext(built.Model, calls * 2L, 1);
            var metrics = new MetricsLog(Path.Combine(folder, "metrics.jsonl"));
            var board = new TensorBoardLog(Path.Combine(folder, "tensorboard"), new TensorBoardOptions { ScalarsEvery = 1 });
            double metricsMicroseconds = PerCall(metrics, context, figures, calls);
            double boardMicroseconds = PerCall(board, context, figures, calls);

            var saves = new List<double>();
            for (int i = 0; i < 5; i++)
            {
                string checkpoint = Path.Combine(folder, $"checkpoint-{i}");
                var clock = Stopwatch.StartNew();
                using (TorchSharp.torch.NewDisposeScope())
                    Checkpoint.Save(built.Model, checkpoint, new CheckpointInfo(i, figures.Values.ToDictionary(p => p.Key, p => p.Value)), built.CaptureState());
                saves.Add(clock.Elapsed.TotalMilliseconds);
            }
            return new CallbackCost(workload, metricsMicroseconds, boardMicroseconds, Stats.Median(saves), Presets.Get(workload).Checkpoints.Every);
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    private static double PerCall(ITrainingCallback callback, TrainingContext context, StepMetrics figures, int calls)
    {
        callback.OnStart(context);
        for (int i = 1; i <= 1000; i++)
            callback.OnStep(context, i, figures);
        var clock = Stopwatch.StartNew();
        for (int i = 1001; i <= 1000 + calls; i++)
            callback.OnStep(context, i, figures);
        double microseconds = clock.Elapsed.TotalMicroseconds / calls;
        callback.OnEnd(context, completed: true);
        return microseconds;
    }
}
