using Latent.Data.Images;
using Latent.Evaluation;
using Latent.Evaluation.Classifiers;
using Latent.Recipes;
using Latent.Runtime;

namespace Latent.Cli.Commands;

/// <summary><c>latent eval</c>: scores a run again from its last checkpoint, or real images against real images.</summary>
internal static class EvalCommand
{
    public const string Help = """
        latent eval <run> [--json] [--samples N] [--export-features DIR] [--retrain-classifier] [--data-dir DIR]
        latent eval --real <mnist | fashion-mnist> [--json] [--samples N] [--export-features DIR] [--data-dir DIR]

        Scores a run from its last checkpoint, with the definitions of bench/WORKLOADS.md:
        mean, std, wasserstein1, ks (1D); modes_covered, high_quality_share, mode_kl, mmd (mixtures);
        reconstruction_mse, denoising_gain, exact_match_rate (autoencoders); kl (VAEs). Then the
        health of the run's training, from its health.jsonl (not with --json).

        On images, generated images are compared with the test split through Latent's own classifier
        for the data set (no Inception network here, so the names say "classifier"; figures compare
        Latent runs, not published FIDs): classifier_fid, classifier_kid (± classifier_kid_std over
        100 subsets of 1,000), classifier_precision and classifier_recall (k = 3), classifier_density
        and classifier_coverage (k = 5), class_kl (predicted classes against uniform, nats),
        smallest_class_share, class_accuracy (conditional models: samples of the asked-for class) and
        classifier_score (the Inception Score's formula with this classifier). samples and real_images
        say how many images each side had. VAEs add test_neg_elbo (nats per image; _10 averages 10
        codes), test_recon, test_kl and test_nll_iwae_K (importance-weighted bounds over iwae_images
        test images); autoencoders test_recon, test_mse and, denoising, test_denoising_gain.

        The classifier is trained the first time it is needed (a few minutes), said so, and cached
        beside the data (DATA/classifiers/NAME). Evaluation is seeded from the run's seed: the same
        run gives the same figures. Fashion-MNIST uses Latent's split: the last 1,000 images of each
        class are the test set.

        Options:
          --json                one JSON object of figure name to value on stdout, nothing else
          --samples N           image runs: generated images to score (default: the recipe's, 10,000);
                                with --real, training images (default 10,000)
          --real NAME           score N training images against the test split: the floor no model beats
          --export-features DIR write the classifier features as DIR/real.npy and DIR/generated.npy
                                (float64; bench/features/feature_metrics.py checks FID and KID from them)
          --retrain-classifier  train the data set's classifier again, replacing the cached one
          --data-dir DIR        where the data sets are installed (see latent data --help)

        Examples:
          latent eval runs/wgangp8g
          latent eval runs/mnist-dcgan --samples 5000
          latent eval --real mnist
          latent eval runs/mnist-vae-mlp --json
        """;

    /// <summary>Images scored by <c>--real</c> when <c>--samples</c> is not given.</summary>
    private const int RealSamples = 10_000;

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var arguments = Arguments.Parse("eval", args, ["--data-dir", "--samples", "--real", "--export-features"], ["--json", "--retrain-classifier"]);
        bool json = arguments.Flag("--json");
        // Classifier training talks on stderr under --json, so stdout stays one JSON object.
        var log = json ? Console.Error : output;
        var store = new DataStore(arguments.Value("--data-dir"));
        var classifiers = ClassifierStore.Beside(store);
        int? samples = (int?)arguments.Whole("--samples", 2);
        string? export = arguments.Value("--export-features");

        string title;
        string? health = null;
        IReadOnlyList<KeyValuePair<string, double>> figures;
        if (arguments.Value("--real") is { } dataSet)
        {
            if (arguments.Positionals.Count > 0)
                throw new UsageException($"eval: --real scores a data set, not a run; drop '{arguments.Positionals[0]}' or --real");
            if (!DataStore.Names.Contains(dataSet))
                throw new UsageException($"eval: --real '{dataSet}' is not a data set; expected one of {string.Join(", ", DataStore.Names)}");
            using var images = new ImageData(store.Load(dataSet, DataSplit.Train), store.Load(dataSet, DataSplit.Test), ImagePreprocessing.Unit);
            var classifier = arguments.Flag("--retrain-classifier")
                ? classifiers.Train(dataSet, images.Train, images.Test!, log)
                : classifiers.GetOrTrain(dataSet, images.Train, images.Test!, log);
            using var scorer = new ImageScorer(images, classifier);
            using var rng = SeededRandom.Derive(0, RandomStream.Evaluation);
            figures = [.. scorer.ScoreReal(samples ?? RealSamples, rng, export).Figures()];
            title = $"{dataSet}: training images against the test split";
        }
        else
        {
            string folder = arguments.Single("run folder");
            using var run = RecipeRunner.Load(folder, store);
            bool scoresImages = ImageScorer.Applies(run);
            foreach (string option in new[] { "--samples", "--export-features", "--retrain-classifier" })
            {
                if (!scoresImages && (arguments.Value(option) is not null || arguments.Flag(option)))
                    throw new UsageException($"eval: {option} applies to runs that generate labelled images (mnist, fashion-mnist, idx); {folder} is a {run.Recipe.Family} on {run.Recipe.Data.Kind}");
            }
            if (arguments.Flag("--retrain-classifier") && run.Data is ImageData images)
                classifiers.Train(ImageScorer.ClassifierKey(run.Recipe.Data), images.Train, images.Test ?? images.Train, log).Dispose();
            figures = RunEvaluator.Evaluate(run, new EvaluationOptions { Samples = samples, Classifiers = classifiers, Log = log, ExportFeatures = export });
            title = $"{run.Recipe.Name} ({folder}), seed {run.Recipe.Seed}, {run.Recipe.Steps} steps";
            health = Latent.Diagnostics.HealthSummary.OfRun(folder);
        }

        if (json)
        {
            output.WriteLine(RunFolder.FiguresJson(figures));
            return ExitCodes.Success;
        }
        output.WriteLine(title);
        int width = figures.Select(f => f.Key.Length).DefaultIfEmpty(0).Max();
        foreach (var (name, value) in figures)
            output.WriteLine($"  {name.PadRight(width)}  {Figures.Format(name, value, figures)}");
        if (health is not null)
            output.WriteLine(health);
        if (export is not null)
            output.WriteLine($"features written to {Path.Combine(export, "real.npy")} and {Path.Combine(export, "generated.npy")}");
        return ExitCodes.Success;
    }
}
