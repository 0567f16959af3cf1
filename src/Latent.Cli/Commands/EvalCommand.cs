using Latent.Recipes;

namespace Latent.Cli.Commands;

/// <summary><c>latent eval</c>: scores a finished run again from its checkpoint.</summary>
internal static class EvalCommand
{
    public const string Help = """
        latent eval <run> [--json] [--data-dir DIR]

        Scores a finished run from its checkpoint, with the definitions of bench/WORKLOADS.md:
        mean, std, wasserstein1, ks (1D); modes_covered, high_quality_share, mode_kl, mmd (mixtures);
        reconstruction_mse, denoising_gain, exact_match_rate (autoencoders); kl (VAEs); on images,
        test_neg_elbo (nats per image, one code per image; test_neg_elbo_10 averages 10), test_recon
        and test_kl (VAEs) and test_recon (autoencoders), on the test split.
        Evaluation is seeded from the run's seed: the same run gives the same figures.

        Options:
          --json          one JSON object of metric name to value on stdout, nothing else
          --data-dir DIR  where the data sets are installed (see latent data --help)

        Examples:
          latent eval runs/wgangp8g
          latent eval runs/gan1d --json
          latent eval runs/mnist-vae-mlp
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var arguments = Arguments.Parse("eval", args, ["--data-dir"], ["--json"]);
        string folder = arguments.Single("run folder");
        using var run = RecipeRunner.Load(folder, new Latent.Data.Images.DataStore(arguments.Value("--data-dir")));
        var figures = RunEvaluator.Evaluate(run);
        if (arguments.Flag("--json"))
        {
            output.WriteLine(RunFolder.FiguresJson(figures));
            return ExitCodes.Success;
        }
        output.WriteLine($"{run.Recipe.Name} ({folder}), seed {run.Recipe.Seed}, {run.Recipe.Steps} steps");
        int width = figures.Select(f => f.Key.Length).DefaultIfEmpty(0).Max();
        foreach (var (name, value) in figures)
            output.WriteLine($"  {name.PadRight(width)}  {Figures.Format(name, value, figures)}");
        return ExitCodes.Success;
    }
}
