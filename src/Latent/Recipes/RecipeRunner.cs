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
/// Then <c>recipe.json</c> is written, training appends <c>metrics.jsonl</c> and draws sample plots, and at the end
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
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite.</exception>
    public static RunResult Train(Recipe recipe, RunOptions options)
    {
        using var built = RecipeBuilder.Build(recipe, options.DataStore);
        recipe = built.Recipe; // epochs resolved into steps: the saved recipe says exactly what ran
        string folder = options.OutputFolder ?? RunFolder.NextFree(options.RunsRoot, recipe.Name);
        if (File.Exists(folder))
            throw new RecipeException($"--out {folder}: is a file; expected a folder that is new or empty");
        if (File.Exists(Path.Combine(folder, RunFolder.RecipeFile)))
            throw new RecipeException($"--out {folder}: the folder already holds a run; choose another folder or delete it");
        Directory.CreateDirectory(folder);
        RunFolder.WriteAtomically(Path.Combine(folder, RunFolder.RecipeFile), RecipeJson.Serialize(recipe));

        // Health before progress, so that the progress line shows the current step's status.
        using var health = Diagnostics.HealthMonitor.For(built, folder, classifiers: ClassifierStore.Beside(options.DataStore ?? new Data.Images.DataStore()));
        var callbacks = new List<ITrainingCallback> { new MetricsLog(Path.Combine(folder, RunFolder.MetricsFile)), health };
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
        if (recipe.Evaluation.Every > 0)
            callbacks.Add(PeriodicEvaluation(built, scorer, folder, options.WritePlots, options.Progress));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = built.Fit(callbacks, options.Cancellation);
        double seconds = clock.Elapsed.TotalSeconds;
        bool completed = !options.Cancellation.IsCancellationRequested;

        Checkpoint.Save(built.Model, Path.Combine(folder, RunFolder.CheckpointFolder));
        var evaluation = RunEvaluator.Evaluate(built, new EvaluationOptions { Classifiers = classifiers, Log = options.Progress });
        RunFolder.WriteAtomically(Path.Combine(folder, RunFolder.EvaluationFile), RunFolder.FiguresJson(evaluation));
        string? plot = null;
        if (options.WritePlots)
        {
            plot = Path.Combine(folder, RunFolder.SamplesFile);
            RunPlotter.Plot(built, plot, $"{recipe.Name}, step {recipe.Steps}");
            RunPlotter.PlotImageExtras(built, folder);
        }
        return new RunResult(folder, recipe, last, evaluation, plot, seconds, completed);
    }

    /// <summary>The scorer of generated images for evaluations during training, when the run's images can be scored.</summary>
    private static ImageScorer? OpenPeriodicScorer(BuiltRecipe built, ClassifierStore classifiers, TextWriter? log) =>
        ImageScorer.Applies(built) ? RunEvaluator.OpenScorer(built, (Data.Images.ImageData)built.Data, classifiers, log) : null;

    /// <summary>
    /// Scores the model every <see cref="EvaluationSpec.Every"/> steps into <c>evals.jsonl</c>: generated images with
    /// <paramref name="scorer"/> (<see cref="EvaluationSpec.EverySamples"/> of them, the same codes each time, so the curve
    /// shows the model changing and not the draw) without the slow manifold figures, else every figure of <see cref="RunEvaluator"/>.
    /// With plots, the first figure's curve so far is drawn to <c>evals.png</c> (the FID curve of an image run).
    /// </summary>
    private static PeriodicAction PeriodicEvaluation(BuiltRecipe built, ImageScorer? scorer, string folder, bool plot, TextWriter? progress)
    {
        var recipe = built.Recipe;
        string path = Path.Combine(folder, RunFolder.EvaluationHistoryFile);
        File.WriteAllText(path, "");
        var steps = new List<double>();
        var firstFigure = new List<double>();
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
            if (plot && figures.Count > 0)
            {
                steps.Add(step);
                firstFigure.Add(figures[0].Value);
                var (name, _) = figures[0];
                Imaging.LinePlot.Save(Path.Combine(folder, RunFolder.EvaluationPlotFile), [new Imaging.LineSeries(name, [.. steps], [.. firstFigure], Imaging.Rgb.ForSeries(0))],
                                      new Imaging.PlotOptions($"{recipe.Name}: {name} during training{(scorer is null ? "" : $", {recipe.Evaluation.EverySamples:N0} samples each")}", "step", name, ShowLegend: false));
            }
            progress?.WriteLine($"evaluation at step {step}: " + string.Join(", ", figures.Take(4).Select(f => $"{f.Key} {f.Value:G4}")));
        });
    }

    /// <summary>Rebuilds a finished run from its <c>recipe.json</c> and loads its checkpoint's weights.</summary>
    /// <exception cref="RecipeException">The folder is missing, has no recipe, or its recipe is invalid.</exception>
    /// <exception cref="FileNotFoundException">The checkpoint is missing a network.</exception>
    /// <param name="folder">A folder written by <see cref="Train"/>.</param>
    /// <param name="store">Where image data sets are installed; the default store when null.</param>
    public static BuiltRecipe Load(string folder, Data.Images.DataStore? store = null)
    {
        if (!Directory.Exists(folder))
            throw new RecipeException($"run folder '{folder}' does not exist; expected a folder written by 'latent train' (see runs/)");
        string recipePath = Path.Combine(folder, RunFolder.RecipeFile);
        if (!File.Exists(recipePath))
            throw new RecipeException($"'{folder}' is not a run folder: it has no {RunFolder.RecipeFile}");
        var recipe = RecipeJson.Parse(File.ReadAllText(recipePath), recipePath);
        var built = RecipeBuilder.Build(recipe, store);
        try
        {
            string checkpoint = Path.Combine(folder, RunFolder.CheckpointFolder);
            if (!Directory.Exists(checkpoint))
                throw new RecipeException($"run '{folder}' has no {RunFolder.CheckpointFolder}/ folder: its training did not finish");
            Checkpoint.Load(built.Model, checkpoint);
            built.Model.SetTraining(false);
            return built;
        }
        catch
        {
            built.Dispose();
            throw;
        }
    }
}
