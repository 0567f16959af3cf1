using System.Diagnostics;
using Latent.Models;
using Latent.Nets;
using Latent.Recipes;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Bench.Speed;

/// <summary>
/// Times Latent on a workload two ways: the real path a user runs (<see cref="RecipeRunner.Train"/>: run folder,
/// metrics.jsonl, TensorBoard events, checkpoints every <c>checkpoints.every</c> steps; only the sample plots off), and
/// <see cref="BuiltRecipe.Fit"/> without callbacks (the library's trainer and model step alone).
/// </summary>
internal static class LatentRunner
{
    /// <summary>The real path: <c>latent train NAME --threads T</c> without plots.</summary>
    public static Measurement Run(string workload, Budget budget, Func<Recipe, Recipe>? change = null)
    {
        // The recipe runs "forever" (the clock stops it), so TensorBoard's automatic spacing would write scalars only
        // every 10,000 steps; a run of up to 10,000 steps writes them every step, so the benchmark does too.
        var recipe = Prepare(workload, budget, r => (change?.Invoke(r) ?? r) is var c ? c with { Logging = c.Logging with { ScalarsEvery = 1 } } : r);
        string folder = Path.Combine(Path.GetTempPath(), $"latent-speed-{Environment.ProcessId}-{Guid.NewGuid():N}");
        using var stop = new CancellationTokenSource();
        var clock = new WindowClock(budget, stop);
        try
        {
            RecipeRunner.Train(recipe, new RunOptions { OutputFolder = folder, WritePlots = false, Callbacks = [clock], Cancellation = stop.Token });
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        return clock.Result ?? throw new InvalidOperationException($"{workload}: the run ended before its timed window closed");
    }

    /// <summary>The real path with every convolution sent to libtorch (<see cref="Convolution2d.AllowOneGemm"/> off): Latent before its one-GEMM layers.</summary>
    public static Measurement WithoutOneGemm(string workload, Budget budget) =>
        WithSwitchOff(on => Convolution2d.AllowOneGemm = on, workload, budget);

    /// <summary>The real path with every step through autograd (<see cref="WrittenOutBackward.Enabled"/> off): Latent before its written-out backward.</summary>
    public static Measurement WithAutograd(string workload, Budget budget) =>
        WithSwitchOff(on => WrittenOutBackward.Enabled = on, workload, budget);

    /// <summary>The real path with one of Latent's process-wide switches off, turned back on afterwards.</summary>
    private static Measurement WithSwitchOff(Action<bool> turn, string workload, Budget budget)
    {
        turn(false);
        try
        {
            return Run(workload, budget);
        }
        finally
        {
            turn(true);
        }
    }

    /// <summary>The library alone: the recipe built and fitted with no callbacks.</summary>
    public static Measurement Fit(string workload, Budget budget)
    {
        var recipe = Prepare(workload, budget, null);
        using var built = RecipeBuilder.Build(recipe);
        using var stop = new CancellationTokenSource();
        var clock = new WindowClock(budget, stop);
        built.Fit([clock], stop.Token);
        return clock.Result ?? throw new InvalidOperationException($"{workload}: the fit ended before its timed window closed");
    }

    /// <summary>The preset at the given thread count, long enough never to end by itself (the clock stops it).</summary>
    public static Recipe Prepare(string workload, Budget budget, Func<Recipe, Recipe>? change)
    {
        var recipe = Presets.Get(workload) with { Threads = budget.Threads, Epochs = null, Steps = 100_000_000, Seed = 0 };
        return change?.Invoke(recipe) ?? recipe;
    }

    /// <summary>
    /// Starts the clock after the warm-up steps and cancels the run once the budget has passed: the trainer then stops
    /// before its next step, so no final evaluation runs.
    /// </summary>
    private sealed class WindowClock(Budget budget, CancellationTokenSource stop) : ITrainingCallback
    {
        private readonly Stopwatch _clock = new();
        private long _startStep, _startBytes;

        public Measurement? Result { get; private set; }

        public void OnStep(TrainingContext context, long step, StepMetrics metrics)
        {
            if (step == context.FirstStep + budget.Warmup - 1)
            {
                _startStep = step;
                _startBytes = GC.GetTotalAllocatedBytes(precise: true);
                _clock.Restart();
                return;
            }
            if (!_clock.IsRunning || Result is not null)
                return;
            long steps = step - _startStep;
            if (_clock.Elapsed.TotalSeconds >= budget.Seconds && steps >= budget.MinSteps)
            {
                double seconds = _clock.Elapsed.TotalSeconds;
                Result = new Measurement(steps, seconds, GC.GetTotalAllocatedBytes(precise: true) - _startBytes);
                stop.Cancel();
            }
        }
    }
}

/// <summary>Times a bare TorchSharp loop (bench/Latent.Bench/Bare), each step in its own dispose scope.</summary>
internal static class BareRunner
{
    public static Measurement Run(string workload, Budget budget, bool channelsLast = false)
    {
        set_num_threads(budget.Threads);
        using var loop = channelsLast ? new Bare.BareDcgan(workload, seed: 0, channelsLast: true) : Bare.BareLoops.Create(workload, seed: 0);
        for (int i = 0; i < budget.Warmup; i++)
        {
            using var scope = NewDisposeScope();
            loop.Step();
        }
        long startBytes = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        long steps = 0;
        while (clock.Elapsed.TotalSeconds < budget.Seconds || steps < budget.MinSteps)
        {
            using var scope = NewDisposeScope();
            loop.Step();
            steps++;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return new Measurement(steps, seconds, GC.GetTotalAllocatedBytes(precise: true) - startBytes);
    }
}
