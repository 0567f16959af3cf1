using Latent.Evaluation.Classifiers;
using Latent.Models;
using Latent.Runtime;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Recipes;

/// <summary>
/// Trains a recipe into a run folder and loads finished runs back: the path the <c>latent</c> command takes.
/// </summary>
/// <remarks>
/// Everything that can be checked is checked before the folder is created: a wrong recipe leaves nothing behind.
/// Then <c>recipe.json</c> is written, training appends <c>metrics.jsonl</c> (and TensorBoard events to <c>tensorboard/</c>,
/// as the recipe's <see cref="LoggingSpec"/> asks) and draws sample plots, and at the end
/// the checkpoint, <c>eval.json</c> and <c>samples.png</c> are written, each to a temporary name and renamed.
/// </remarks>
/// <example>
/// <code>
/// var result = RecipeRunner.Train(Presets.Get("wgangp8g"), new RunOptions { Progress = Console.Out });
/// Console.WriteLine(result.Evaluation.First(f => f.Key == "modes_covered").Value);
/// </code>
/// </example>
public static class RecipeRunner
{
    /// <summary>Trains <paramref name="recipe"/> and writes its run folder.</summary>
    /// <exception cref="RecipeException">The recipe is impossible or the output folder holds another run.</exception>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite; the message names the last good checkpoint.</exception>
    public static RunResult Train(Recipe recipe, RunOptions options)
    {
        using var built = RecipeBuilder.Build(recipe, options.DataStore);
        recipe = built.Recipe; // epochs resolved into steps: the saved recipe says exactly what ran
        string folder = options.OutputFolder ?? RunFolder.NextFree(options.RunsRoot, recipe.Name);
        if (File.Exists(folder))
            throw new RecipeException($"--out {folder}: is a file; expected a folder that is new or empty");
        if (File.Exists(Path.Combine(folder, RunFolder.RecipeFile)))
            throw new RecipeException($"--out {folder}: the folder already holds a run; resume it with 'latent train --resume {folder}', or choose another folder");
        Directory.CreateDirectory(folder);
        RunFolder.WriteAtomically(Path.Combine(folder, RunFolder.RecipeFile), RecipeJson.Serialize(recipe));
        if (options.Verbose)
            RunSummary.Write(built, folder, options.Progress);
        return Run(built, folder, resumedFrom: null, options);
    }

    /// <summary>
    /// Continues a run from its latest checkpoint: the same numbers as a run never stopped (with the same thread count),
    /// because the checkpoint holds the weights, optimizer states, the model's counters, every random stream and the
    /// batch position. Logs are cut back to the checkpoint's step, so they read as one run.
    /// </summary>
    /// <param name="folder">A run folder written by <see cref="Train"/>.</param>
    /// <param name="options">How to train; <see cref="RunOptions.OutputFolder"/> is ignored (the run stays where it is).</param>
    /// <param name="change">Changes to the saved recipe (more steps, another thread count); the run is then no longer
    /// the same as one trained straight through, except for a change of steps alone.</param>
    /// <exception cref="RecipeException">Not a run folder, no checkpoint yet, or nothing left to train.</exception>
    public static RunResult Resume(string folder, RunOptions options, Func<Recipe, Recipe>? change = null)
    {
        var saved = ReadRecipe(folder);
        var recipe = change?.Invoke(saved) ?? saved;
        RecipeValidator.Validate(recipe);
        var history = HistoryOf(folder, recipe);
        if (history.Latest is null)
            throw new RecipeException($"run '{folder}' has no checkpoint to resume from: it stopped before its first one (checkpoints.every = {saved.Checkpoints.Every}); train it again");
        var built = RecipeBuilder.Build(recipe, options.DataStore);
        try
        {
            var (step, checkpoint) = LoadLatest(built, history, withOptimizers: true, options.Progress);
            if (step >= built.Recipe.Steps)
                throw new RecipeException($"run '{folder}' has done its {built.Recipe.Steps} steps; pass --steps N with N above {step} to train it further");
            if (RecipeJson.Serialize(built.Recipe) != RecipeJson.Serialize(saved))
                RunFolder.WriteAtomically(Path.Combine(folder, RunFolder.RecipeFile), RecipeJson.Serialize(built.Recipe));
            history.DeleteAfter(step);
            foreach (string log in RunFolder.StepLogs)
                JsonLine.KeepThrough(Path.Combine(folder, log), step);
            options.Progress?.WriteLine($"resuming {built.Recipe.Name} at step {step + 1} of {built.Recipe.Steps} from {checkpoint}");
            return Run(built, folder, (step, checkpoint), options);
        }
        finally
        {
            built.Dispose();
        }
    }

    private static RunResult Run(BuiltRecipe built, string folder, (long Step, string Folder)? resumedFrom, RunOptions options)
    {
        var recipe = built.Recipe;
        long startStep = resumedFrom?.Step ?? 0;
        // Health before progress, so that the progress line shows the current step's status.
        using var health = Diagnostics.HealthMonitor.For(built, folder, classifiers: ClassifierStore.Beside(options.DataStore ?? new Data.Images.DataStore()));
        var metricsLog = new MetricsLog(Path.Combine(folder, RunFolder.MetricsFile));
        var callbacks = new List<ITrainingCallback> { metricsLog, health };
        if (options.Progress is { } progress)
            callbacks.Add(new ProgressReporter(progress, options.LiveProgress, options.LogEvery, status: () => health.Status));
        if (options.WritePlots && recipe.SampleEvery > 0)
            callbacks.Add(new PeriodicAction(recipe.SampleEvery, step =>
            {
                if (step < recipe.Steps)
                    RunPlotter.Plot(built, Path.Combine(folder, $"samples-{step:D6}.png"), $"{recipe.Name}, step {step}");
            }));

        var classifiers = ClassifierStore.Beside(options.DataStore ?? new Data.Images.DataStore());
        using var scorer = recipe.Evaluation.Every > 0 ? OpenPeriodicScorer(built, classifiers, options.Progress) : null;
        var evaluations = new Dictionary<long, IReadOnlyList<KeyValuePair<string, double>>>();
        if (recipe.Evaluation.Every > 0)
            callbacks.Add(PeriodicEvaluation(built, scorer, folder, startStep, options.WritePlots, options.Progress, options.Verbose, evaluations));
        callbacks.AddRange(options.Callbacks);
        if (RunTensorBoard.For(built, folder, options.WritePlots) is { } board)
            callbacks.Add(board); // after the evaluation and pictures of the same step, which it reads
        var checkpointing = new RunCheckpointing(built, HistoryOf(folder, recipe), resumedFrom,
                                                 step => evaluations.GetValueOrDefault(step, []), options.Progress, beforeSave: metricsLog.Flush);
        callbacks.Add(checkpointing);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        StepMetrics last;
        try
        {
            last = built.Fit(callbacks, options.Cancellation, startStep);
        }
        catch (TrainingDivergedException e)
        {
            string kept = checkpointing.LastSaved is { } path
                ? $"the last good checkpoint is {path} (step {checkpointing.LastSavedStep})"
                : $"no checkpoint was written before it (checkpoints.every = {recipe.Checkpoints.Every})";
            throw new TrainingDivergedException(e.Step, e.Metric, e.Value, e.Skipped, kept);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        long done = checkpointing.LastSavedStep;
        if (options.Cancellation.IsCancellationRequested && done < recipe.Steps)
            return new RunResult(folder, recipe, last, [], null, seconds, Completed: false, startStep + 1, done, checkpointing.LastSaved);

        var evaluation = RunEvaluator.Evaluate(built, new EvaluationOptions { Classifiers = classifiers, Log = options.Progress });
        RunFolder.WriteAtomically(Path.Combine(folder, RunFolder.EvaluationFile), RunFolder.FiguresJson(evaluation));
        string? plot = null;
        if (options.WritePlots)
        {
            plot = Path.Combine(folder, RunFolder.SamplesFile);
            RunPlotter.Plot(built, plot, $"{recipe.Name}, step {recipe.Steps}");
            RunPlotter.PlotImageExtras(built, folder);
        }
        return new RunResult(folder, recipe, last, evaluation, plot, seconds, Completed: true, startStep + 1, done, checkpointing.LastSaved);
    }

    private static CheckpointHistory HistoryOf(string folder, Recipe recipe) =>
        new(Path.Combine(folder, RunFolder.CheckpointsFolder), recipe.Checkpoints.KeepLast);

    /// <summary>
    /// Loads the newest checkpoint that reads whole into <paramref name="built"/>, falling back to older ones (with a
    /// note on <paramref name="log"/>) when the newest is damaged; restores the random streams and batch position too.
    /// </summary>
    private static (long Step, string Folder) LoadLatest(BuiltRecipe built, CheckpointHistory history, bool withOptimizers, TextWriter? log)
    {
        var all = history.List();
        for (int i = all.Count - 1; i >= 0; i--)
        {
            var (step, folder) = all[i];
            try
            {
                using var scope = NewDisposeScope();
                Checkpoint.Load(built.Model, folder, withOptimizers);
                built.RestoreState(Checkpoint.LoadState(folder));
                return (step, folder);
            }
            catch (Exception e) when (i > 0 && e is InvalidDataException or IOException)
            {
                log?.WriteLine($"checkpoint {folder} cannot be read ({e.Message}); trying the one before it");
            }
        }
        throw new RecipeException($"'{history.Root}' holds no checkpoint");
    }

    /// <summary>The scorer of generated images for evaluations during training, when the run's images can be scored.</summary>
    private static ImageScorer? OpenPeriodicScorer(BuiltRecipe built, ClassifierStore classifiers, TextWriter? log) =>
        ImageScorer.Applies(built) ? RunEvaluator.OpenScorer(built, (Data.Images.ImageData)built.Data, classifiers, log) : null;

    /// <summary>
    /// Scores the model every <see cref="EvaluationSpec.Every"/> steps into <c>evals.jsonl</c>: generated images with
    /// <paramref name="scorer"/> (<see cref="EvaluationSpec.EverySamples"/> of them, the same codes each time, so the curve
    /// shows the model changing and not the draw) without the slow manifold figures, else every figure of <see cref="RunEvaluator"/>.
    /// With plots, the first figure's curve so far is drawn to <c>evals.png</c> (the FID curve of an image run).
    /// The figures of each scoring are also kept in <paramref name="record"/> by step, for the checkpoint of that step.
    /// A resumed run (<paramref name="startStep"/> above 0) appends to the file and draws the curve from its start.
    /// </summary>
    private static PeriodicAction PeriodicEvaluation(BuiltRecipe built, ImageScorer? scorer, string folder, long startStep, bool plot, TextWriter? progress,
                                                     bool everyFigure, Dictionary<long, IReadOnlyList<KeyValuePair<string, double>>> record)
    {
        var recipe = built.Recipe;
        string path = Path.Combine(folder, RunFolder.EvaluationHistoryFile);
        var steps = new List<double>();
        var firstFigure = new List<double>();
        if (startStep == 0 || !File.Exists(path))
            File.WriteAllText(path, "");
        else
            ReadCurve(path, steps, firstFigure);
        return new PeriodicAction(recipe.Evaluation.Every, step =>
        {
            IReadOnlyList<KeyValuePair<string, double>> figures;
            if (scorer is not null)
            {
                using var rng = SeededRandom.Derive(recipe.Seed, RandomStream.Evaluation);
                figures = [.. scorer.Score((ISampler)built.Model, recipe.Evaluation.EverySamples, rng, manifold: false).Figures()];
            }
            else
            {
                figures = RunEvaluator.Evaluate(built, new EvaluationOptions { ImageQuality = false });
            }
            File.AppendAllText(path, JsonLine.Of(step, figures) + "\n");
            record[step] = figures;
            if (plot && figures.Count > 0)
            {
                steps.Add(step);
                firstFigure.Add(figures[0].Value);
                var (name, _) = figures[0];
                Imaging.LinePlot.Save(Path.Combine(folder, RunFolder.EvaluationPlotFile), [new Imaging.LineSeries(name, [.. steps], [.. firstFigure], Imaging.Rgb.ForSeries(0))],
                                      new Imaging.PlotOptions($"{recipe.Name}: {name} during training{(scorer is null ? "" : $", {recipe.Evaluation.EverySamples:N0} samples each")}", "step", name, ShowLegend: false));
            }
            progress?.WriteLine($"evaluation at step {step}: " + string.Join(", ", figures.Take(everyFigure ? figures.Count : 4).Select(f => $"{f.Key} {f.Value:G4}")));
        });
    }

    /// <summary>The first figure of every line of an <c>evals.jsonl</c> (the curve a resumed run continues).</summary>
    private static void ReadCurve(string path, List<double> steps, List<double> values)
    {
        foreach (string line in File.ReadLines(path))
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            var properties = document.RootElement.EnumerateObject().ToList();
            if (properties.Count >= 2 && properties[1].Value.ValueKind == System.Text.Json.JsonValueKind.Number)
            {
                steps.Add(properties[0].Value.GetDouble());
                values.Add(properties[1].Value.GetDouble());
            }
        }
    }

    /// <summary>Rebuilds a run from its <c>recipe.json</c> and loads the weights of its latest checkpoint.</summary>
    /// <exception cref="RecipeException">The folder is missing, has no recipe, or its recipe is invalid.</exception>
    /// <exception cref="FileNotFoundException">The checkpoint is missing a network.</exception>
    /// <param name="folder">A folder written by <see cref="Train"/>.</param>
    /// <param name="store">Where image data sets are installed; the default store when null.</param>
    public static BuiltRecipe Load(string folder, Data.Images.DataStore? store = null)
    {
        var recipe = ReadRecipe(folder);
        var history = HistoryOf(folder, recipe);
        if (history.Latest is null)
            throw new RecipeException($"run '{folder}' has no checkpoint in {RunFolder.CheckpointsFolder}/: its training stopped before the first one");
        var built = RecipeBuilder.Build(recipe, store);
        try
        {
            LoadLatest(built, history, withOptimizers: false, log: null);
            built.Model.SetTraining(false);
            return built;
        }
        catch
        {
            built.Dispose();
            throw;
        }
    }

    private static Recipe ReadRecipe(string folder)
    {
        if (!Directory.Exists(folder))
            throw new RecipeException($"run folder '{folder}' does not exist; expected a folder written by 'latent train' (see runs/)");
        string recipePath = Path.Combine(folder, RunFolder.RecipeFile);
        if (!File.Exists(recipePath))
            throw new RecipeException($"'{folder}' is not a run folder: it has no {RunFolder.RecipeFile}");
        return RecipeJson.Parse(File.ReadAllText(recipePath), recipePath);
    }
}
