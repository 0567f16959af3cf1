using System.Globalization;
using Latent.Recipes;

namespace Latent.Cli.Commands;

/// <summary><c>latent train</c>: trains a preset or a recipe file into a run folder and prints its figures.</summary>
internal static class TrainCommand
{
    public const string Help = """
        latent train <preset | recipe.json> [options]

        Trains a model and writes a run folder: recipe.json (every default filled in),
        metrics.jsonl (one line per step), samples.png, eval.json and checkpoint/. A GAN's
        training is watched for the failures of seed 004 (discriminator winning, generator
        loss collapsing, mode collapse, oscillation, divergence, a critic losing its Lipschitz
        control), a VAE's for posterior collapse: the progress line shows "health ok" or the
        issue, health.jsonl records each issue when it starts and ends, and the end of
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
          --quiet             no progress, only the final figures

        Examples:
          latent train wgangp8g
          latent train gan8g --seed 3 --steps 5000 --set gan.ema=0.999
          latent train my-recipe.json --out runs/experiment-1
          latent data fetch mnist && latent train mnist-dcgan --epochs 1
          latent presets      (lists the presets)
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var arguments = Arguments.Parse("train", args, ["--seed", "--steps", "--epochs", "--out", "--threads", "--device", "--set", "--data-dir"], ["--quiet"]);
        var recipe = LoadRecipe(arguments.Single("preset name or recipe file"), arguments.All("--set"));
        if (arguments.Whole("--seed", 0) is { } seed)
            recipe = recipe with { Seed = seed };
        if (arguments.Whole("--steps", 1) is { } steps)
            recipe = recipe with { Steps = steps, Epochs = null };
        if (arguments.Whole("--epochs", 1) is { } epochs)
            recipe = recipe with { Epochs = (int)Math.Min(epochs, 1_000_000) };
        if (arguments.Value("--device") is { } device)
            recipe = recipe with { Device = device };
        if (arguments.Whole("--threads", 1) is { } threads)
            recipe = recipe with { Threads = (int)Math.Min(threads, 1024) };
        RecipeValidator.Validate(recipe);

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cancellation.IsCancellationRequested)
                return; // A second Ctrl+C ends the process at once.
            e.Cancel = true;
            cancellation.Cancel();
            Console.Error.WriteLine("\nstopping after this step; Ctrl+C again to quit at once");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            bool quiet = arguments.Flag("--quiet");
            var result = RecipeRunner.Train(recipe, new RunOptions
            {
                OutputFolder = arguments.Value("--out"),
                DataStore = new Latent.Data.Images.DataStore(arguments.Value("--data-dir")),
                Progress = quiet ? null : output,
                LiveProgress = !quiet && !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out),
                Cancellation = cancellation.Token,
            });
            Report(result, output);
            return result.Completed ? ExitCodes.Success : ExitCodes.Interrupted;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>A preset by name, or a recipe file by path, with <c>--set</c> overrides applied.</summary>
    internal static Recipe LoadRecipe(string nameOrPath, IReadOnlyList<string> overrides)
    {
        if (Presets.Contains(nameOrPath))
            return overrides.Count == 0 ? Presets.Get(nameOrPath) : RecipeJson.WithOverrides(Presets.Get(nameOrPath), overrides, nameOrPath);
        bool looksLikeFile = nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || nameOrPath.Contains('/') || File.Exists(nameOrPath);
        if (!looksLikeFile)
            return Presets.Get(nameOrPath); // throws, listing the presets
        if (!File.Exists(nameOrPath))
            throw new RecipeException($"recipe file '{nameOrPath}' not found");
        var recipe = RecipeJson.Parse(File.ReadAllText(nameOrPath), nameOrPath, overrides);
        return recipe.Name == "custom" ? recipe with { Name = Path.GetFileNameWithoutExtension(nameOrPath) } : recipe;
    }

    private static void Report(RunResult result, TextWriter output)
    {
        var recipe = result.Recipe;
        double rate = result.Seconds > 0 ? recipe.Steps / result.Seconds : 0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{recipe.Name}: {recipe.Steps} steps in {result.Seconds:F1} s ({rate:F0} steps/s), seed {recipe.Seed}{(result.Completed ? "" : " (stopped early)")}"));
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
