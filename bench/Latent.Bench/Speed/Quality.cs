using System.Diagnostics;
using Latent.Recipes;
using Latent.Training;

namespace Latent.Bench.Speed;

/// <summary>Seconds of training until a workload first meets its quality target, checked every few steps.</summary>
/// <param name="Workload">The preset.</param>
/// <param name="Target">The target in words.</param>
/// <param name="Seconds">Training seconds (checks excluded) until the first check that met it, or null.</param>
/// <param name="Step">That check's step, or null.</param>
/// <param name="Best">The best figures reached when the target was never met (or those at the step it was).</param>
/// <param name="StepsTried">Steps trained.</param>
internal sealed record TimeToQuality(string Workload, string Target, double? Seconds, long? Step, string Best, long StepsTried);

internal static class Quality
{
    /// <summary>
    /// wgangp8g until 8/8 modes with at least <paramref name="highQuality"/> of the samples high-quality (2,500 samples,
    /// within 3 std); gan1d until mean and std within 0.05.
    /// </summary>
    public static TimeToQuality Measure(string workload, int checkEvery, long maxSteps, TextWriter log, double highQuality = 0.9)
    {
        var recipe = Presets.Get(workload) with { Steps = maxSteps, Seed = 0 };
        using var built = RecipeBuilder.Build(recipe);
        var (target, met, score, describe) = Targets(workload, highQuality);
        var check = new Checker(built, checkEvery, () => RunEvaluator.Evaluate(built), met, score, describe, log);
        return Train(workload, target, built, check, log);
    }

    /// <summary>
    /// An image GAN until its FID in the feature space of Latent's classifier for the data set, from
    /// <paramref name="samples"/> samples against the whole test split, is at most <paramref name="fid"/>; at all cores.
    /// </summary>
    /// <remarks>Fewer samples than <c>latent eval</c>'s 10,000 keep each check to seconds; FID is biased upward at small counts, so the target is stated with its count.</remarks>
    public static TimeToQuality MeasureFid(string workload, double fid, int samples, int checkEvery, long maxSteps, TextWriter log)
    {
        var recipe = Presets.Get(workload) with { Epochs = null, Steps = maxSteps, Seed = 0, Threads = Environment.ProcessorCount };
        using var built = RecipeBuilder.Build(recipe);
        using var scorer = RunEvaluator.OpenScorer(built, (Data.Images.ImageData)built.Data, null, log);
        IEnumerable<KeyValuePair<string, double>> Evaluate()
        {
            using var rng = Runtime.SeededRandom.Derive(recipe.Seed, Runtime.RandomStream.Evaluation);
            return scorer.Score((Models.ISampler)built.Model, samples, rng, manifold: false).Figures().ToList();
        }
        string target = $"classifier FID ≤ {fid:F1} ({samples:N0} samples against the {scorer.Real.Features.shape[0]:N0} test images)";
        var check = new Checker(built, checkEvery, Evaluate, f => f["classifier_fid"] <= fid, f => -f["classifier_fid"], f => $"classifier FID {f["classifier_fid"]:F2}", log);
        return Train(workload, target, built, check, log);
    }

    /// <summary>Trains until the checker meets its target or the recipe's steps run out.</summary>
    private static TimeToQuality Train(string workload, string target, BuiltRecipe built, Checker check, TextWriter log)
    {
        using var stop = new CancellationTokenSource();
        check.Stop = stop;
        built.Fit([check], stop.Token);
        log.WriteLine($"  time to quality {workload}: {(check.MetAt is { } s ? $"{s:F1} s at step {check.MetStep}" : "not reached")}; best {check.Best}");
        return new TimeToQuality(workload, target, check.MetAt, check.MetStep, check.Best, check.LastStep);
    }

    private static (string, Func<IReadOnlyDictionary<string, double>, bool>, Func<IReadOnlyDictionary<string, double>, double>, Func<IReadOnlyDictionary<string, double>, string>) Targets(string workload, double highQuality) => workload switch
    {
        "wgangp8g" => ($"8/8 modes and high_quality_share ≥ {highQuality:F2}",
                       f => f["modes_covered"] >= 8 && f["high_quality_share"] >= highQuality,
                       f => f["modes_covered"] * 10 + f["high_quality_share"],
                       f => $"{f["modes_covered"]:F0}/8 modes, high-quality {f["high_quality_share"]:P1}"),
        "gan1d" => ("abs(mean − 3) < 0.05 and abs(std − 0.5) < 0.05 (10,000 samples)",
                    f => Math.Abs(f["mean"] - 3) < 0.05 && Math.Abs(f["std"] - 0.5) < 0.05,
                    f => -Math.Max(Math.Abs(f["mean"] - 3), Math.Abs(f["std"] - 0.5)),
                    f => $"mean {f["mean"]:F3}, std {f["std"]:F3}"),
        _ => throw new ArgumentException($"no time-to-quality target for '{workload}'"),
    };

    private sealed class Checker(BuiltRecipe built, int every, Func<IEnumerable<KeyValuePair<string, double>>> evaluate,
                                 Func<IReadOnlyDictionary<string, double>, bool> met,
                                 Func<IReadOnlyDictionary<string, double>, double> score,
                                 Func<IReadOnlyDictionary<string, double>, string> describe, TextWriter log) : ITrainingCallback
    {
        private readonly Stopwatch _training = new();
        private double _bestScore = double.NegativeInfinity;

        public CancellationTokenSource? Stop { get; set; }
        public double? MetAt { get; private set; }
        public long? MetStep { get; private set; }
        public string Best { get; private set; } = "";
        public long LastStep { get; private set; }

        public void OnStart(TrainingContext context) => _training.Start();

        public void OnStep(TrainingContext context, long step, StepMetrics metrics)
        {
            LastStep = step;
            if (step % every != 0)
                return;
            _training.Stop(); // checks are not training time
            var figures = evaluate().ToDictionary(p => p.Key, p => p.Value);
            built.Model.SetTraining(true);
            log.WriteLine($"    step {step}, {_training.Elapsed.TotalSeconds:F1} s of training: {describe(figures)}");
            double value = score(figures);
            if (value > _bestScore)
            {
                _bestScore = value;
                Best = $"{describe(figures)} at step {step}";
            }
            if (met(figures))
            {
                MetAt = _training.Elapsed.TotalSeconds;
                MetStep = step;
                Best = $"{describe(figures)} at step {step}";
                Stop?.Cancel();
                return;
            }
            _training.Start();
        }
    }
}

/// <summary>Resident memory of the real path after 1k and after 10k steps of a toy workload.</summary>
internal sealed record MemoryGrowth(string Workload, long ResidentAt1k, long ResidentAt10k, long LiveTensorsAt1k, long LiveTensorsAt10k)
{
    public double GrowthPercent => 100.0 * (ResidentAt10k - ResidentAt1k) / ResidentAt1k;

    public static MemoryGrowth Measure(string workload, long first, long last)
    {
        var recipe = Presets.Get(workload) with { Steps = last, Seed = 0 };
        var probe = new Probe(first, last);
        string folder = Path.Combine(Path.GetTempPath(), $"latent-memory-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            // No final evaluation: stop before the last step would end the run normally.
            using var stop = new CancellationTokenSource();
            probe.Stop = stop;
            RecipeRunner.Train(recipe with { Steps = last + 1 }, new RunOptions { OutputFolder = folder, WritePlots = false, Callbacks = [probe], Cancellation = stop.Token });
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        return new MemoryGrowth(workload, probe.Rss[0], probe.Rss[1], probe.Live[0], probe.Live[1]);
    }

    private sealed class Probe(long first, long last) : ITrainingCallback
    {
        public long[] Rss { get; } = new long[2];
        public long[] Live { get; } = new long[2];
        public CancellationTokenSource? Stop { get; set; }

        public void OnStep(TrainingContext context, long step, StepMetrics metrics)
        {
            int slot = step == first ? 0 : step == last ? 1 : -1;
            if (slot < 0)
                return;
            Rss[slot] = Machine.ResidentBytes();
            Live[slot] = TorchSharp.torch.Tensor.TotalCount;
            if (slot == 1)
                Stop?.Cancel();
        }
    }
}
