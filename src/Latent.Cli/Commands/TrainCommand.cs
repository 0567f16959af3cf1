using System.Globalization;
using Latent.Recipes;

namespace Latent.Cli.Commands;

/// <summary><c>latent train</c>: trains a preset or a recipe file into a run folder and prints its figures.</summary>
internal static class TrainCommand
{
    public const string Help = """
        latent train <preset | recipe.json | recipe.yaml> [options]
        latent train --resume <run> [--steps N | --epochs N] [--threads N] [--set PATH=VALUE]

        Trains a model and writes a run folder: recipe.json (every default filled in),
        metrics.jsonl (one line per step), samples.png, eval.json, checkpoints/ (every
        checkpoints.every steps and at the end; the last checkpoints.keep_last kept) and
        tensorboard/ (event files: tensorboard --logdir runs; see the recipe's logging section).
        A recipe file is JSON or YAML (.yaml, .yml), checked before anything runs.

        Ctrl+C or SIGTERM finishes the current step, writes a checkpoint and exits with
        code 130; a second Ctrl+C quits at once, leaving the last checkpoint whole.
        --resume continues from the last checkpoint with the same numbers as a run never
        stopped (same thread count); --steps or --epochs there trains it further.
        A GAN's training is watched for the failures of seed 004 (discriminator winning,
        generator loss collapsing, mode collapse, oscillation, divergence, a critic losing its
        Lipschitz control), a VAE's for posterior collapse: the progress line shows "health ok"
        or the issue, health.jsonl records each issue when it starts and ends, and the end of
        training says what went wrong and the fix.

        Options:
          --seed N            seed for data, initialization and noise (default: the recipe's, 0)
          --steps N           training steps (default: the recipe's)
          --epochs N          image data: passes over the training set, instead of steps
          --data-dir DIR      where the data sets are installed (see latent data --help)
          --out DIR           run folder (default: runs/NAME, numbered if taken)
          --threads N         libtorch threads (default: the recipe's; 1 for toy data, where it is fastest)
          --device D          cpu, cuda or auto (default: the recipe's, cpu)
          --set PATH=VALUE    change any recipe field; repeatable (gan.loss=hinge, gan.critic_steps=3)
          --on-nan stop|skip  a NaN or infinite loss or gradient norm stops the run (default) or
                              undoes and skips that step (ten in a row stop it); same as --set on_nan=…
          --resume RUN        continue the run in folder RUN from its last checkpoint
          --log-every N       steps between progress lines when the output is not a terminal
                              (default: a tenth of the run)
          --quiet             no progress, only the final figures
          --verbose           also what the run is about to do (data, parameters per network,
                              device, threads, seed, folders) and every figure of each evaluation

        Examples:
          latent train wgangp8g
          latent train gan8g --seed 3 --steps 5000 --set gan.ema=0.999
          latent train my-recipe.json --out runs/experiment-1
          latent train --resume runs/mnist-dcgan --epochs 10
          latent train my-recipe.yaml --set logging.histograms_every=500 --verbose
          latent data fetch mnist && latent train mnist-dcgan --epochs 1
          latent presets      (lists the presets)
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var arguments = Arguments.Parse("train", args, ["--seed", "--steps", "--epochs", "--out", "--threads", "--device", "--set", "--data-dir", "--on-nan", "--resume", "--log-every"], ["--quiet", "--verbose"]);
        if (arguments.Flag("--quiet") && arguments.Flag("--verbose"))
            throw new UsageException("train: --quiet and --verbose contradict each other; give one");
        string? resume = arguments.Value("--resume");
        Recipe ApplyOptions(Recipe recipe)
        {
            if (arguments.Whole("--steps", 1) is { } steps)
                recipe = recipe with { Steps = steps, Epochs = null };
            if (arguments.Whole("--epochs", 1) is { } epochs)
                recipe = recipe with { Epochs = (int)Math.Min(epochs, 1_000_000) };
            if (arguments.Whole("--threads", 1) is { } threads)
                recipe = recipe with { Threads = (int)Math.Min(threads, 1024) };
            if (arguments.Value("--on-nan") is { } onNan)
                recipe = recipe with { OnNan = onNan };
            return recipe;
        }

        bool quiet = arguments.Flag("--quiet");
        var options = new RunOptions
        {
            OutputFolder = arguments.Value("--out"),
            DataStore = new Latent.Data.Images.DataStore(arguments.Value("--data-dir")),
            Progress = quiet ? null : output,
            LiveProgress = !quiet && !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out),
            LogEvery = arguments.Whole("--log-every", 1),
            Verbose = arguments.Flag("--verbose"),
        };
        Func<RunOptions, RunResult> train;
        if (resume is not null)
        {
            if (arguments.Positionals.Count > 0)
                throw new UsageException($"train --resume takes the run folder, not also '{arguments.Positionals[0]}'; the run's own recipe.json is used");
            foreach (string option in new[] { "--seed", "--out", "--device" })
            {
                if (arguments.Value(option) is not null)
                    throw new UsageException($"train --resume: {option} cannot change a run that has started; use a new run instead");
            }
            var overrides = arguments.All("--set");
            train = runOptions => RecipeRunner.Resume(resume, runOptions, saved =>
                ApplyOptions(overrides.Count == 0 ? saved : RecipeJson.WithOverrides(saved, overrides, Path.Combine(resume, RunFolder.RecipeFile))));
        }
        else
        {
            var recipe = LoadRecipe(arguments.Single("preset name or recipe file (or --resume RUN)"), arguments.All("--set"));
            if (arguments.Whole("--seed", 0) is { } seed)
                recipe = recipe with { Seed = seed };
            if (arguments.Value("--device") is { } device)
                recipe = recipe with { Device = device };
            recipe = ApplyOptions(recipe);
            RecipeValidator.Validate(recipe);
            train = runOptions => RecipeRunner.Train(recipe, runOptions);
        }

        using var stop = new StopSignals();
        var result = train(options with { Cancellation = stop.Token });
        Report(result, output);
        return result.Completed ? ExitCodes.Success : ExitCodes.Interrupted;
    }

    /// <summary>A preset by name, or a recipe file by path, with <c>--set</c> overrides applied.</summary>
    internal static Recipe LoadRecipe(string nameOrPath, IReadOnlyList<string> overrides)
    {
        if (Presets.Contains(nameOrPath))
            return overrides.Count == 0 ? Presets.Get(nameOrPath) : RecipeJson.WithOverrides(Presets.Get(nameOrPath), overrides, nameOrPath);
        bool looksLikeFile = RecipeFile.HasRecipeExtension(nameOrPath) || nameOrPath.Contains('/') || File.Exists(nameOrPath);
        if (!looksLikeFile)
            return Presets.Get(nameOrPath); // throws, listing the presets
        return RecipeFile.Load(nameOrPath, overrides); // JSON or YAML by extension
    }

    private static void Report(RunResult result, TextWriter output)
    {
        var recipe = result.Recipe;
        long trained = result.StepsDone - result.FirstStep + 1;
        double rate = result.Seconds > 0 ? trained / result.Seconds : 0;
        string steps = result.FirstStep > 1 ? $"steps {result.FirstStep}–{result.StepsDone}" : $"{result.StepsDone} steps";
        if (!result.Completed)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{recipe.Name}: stopped after step {result.StepsDone} of {recipe.Steps} ({steps} in {result.Seconds:F1} s)"));
            output.WriteLine(result.Checkpoint is { } checkpoint ? $"checkpoint: {checkpoint}" : "no checkpoint was written: no step had finished");
            if (result.Checkpoint is not null)
                output.WriteLine($"resume with: latent train --resume {result.Folder}");
            return;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{recipe.Name}: {steps} in {result.Seconds:F1} s ({rate:F0} steps/s), seed {recipe.Seed}"));
        int width = result.Evaluation.Select(f => f.Key.Length).DefaultIfEmpty(0).Max();
        foreach (var (name, value) in result.Evaluation)
            output.WriteLine($"  {name.PadRight(width)}  {Figures.Format(name, value, result.Evaluation)}");
        if (Latent.Diagnostics.HealthSummary.OfRun(result.Folder) is { } health)
            output.WriteLine(health);
        if (result.SamplesPlot is { } plot)
            output.WriteLine($"samples: {plot}");
        output.WriteLine($"run: {result.Folder}");
    }
}
