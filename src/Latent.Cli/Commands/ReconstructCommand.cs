using Latent.Data.Images;
using Latent.Models;
using Latent.Recipes;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Cli.Commands;

/// <summary><c>latent reconstruct</c>: test images beside what a trained image autoencoder or VAE makes of them.</summary>
internal static class ReconstructCommand
{
    public const string Help = """
        latent reconstruct <run> --out FILE.png [--rows N] [--seed N] [--data-dir DIR]

        Draws N groups of 10 test images (training images when the data has no test
        split) above their reconstructions; for a denoising autoencoder, above their
        corrupted versions and the denoised results.

        Options:
          --out FILE.png  where to draw them (required)
          --rows N        how many groups (default 3)
          --seed N        picks the images and the corruption (default: the run's seed)
          --data-dir DIR  where the data sets are installed (see latent data --help)

        Example:
          latent reconstruct runs/mnist-vae-mlp --out reconstructions.png
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var arguments = Arguments.Parse("reconstruct", args, ["--out", "--rows", "--seed", "--data-dir"], []);
        string folder = arguments.Single("run folder");
        string file = ImageOutput.RequirePng(arguments, "reconstruct");
        int rows = (int)Math.Min(arguments.Whole("--rows", 1) ?? 3, 100);

        using var run = RecipeRunner.Load(folder, new DataStore(arguments.Value("--data-dir")));
        if (run.Data is not ImageData images)
            throw new UsageException($"reconstruct: run '{folder}' trained on {run.Recipe.Data.Kind}, not on images; 'latent eval' scores its reconstructions");
        if (run.Model is not (Autoencoder or VariationalAutoencoder))
            throw new UsageException($"reconstruct: run '{folder}' is a {run.Recipe.Family}, which does not reconstruct; use an autoencoder or VAE run");
        long seed = arguments.Whole("--seed", 0) ?? run.Recipe.Seed;
        using var scope = NewDisposeScope();
        using var rng = SeededRandom.Derive(seed, RandomStream.Sampling);
        ImageOutput.PrepareFolder(file);
        ImageRunPlots.Reconstructions(run.Model, images, rng, file, $"{run.Recipe.Name}: reconstructions (seed {seed})", rows);
        output.WriteLine($"wrote {rows * 10} test images and their reconstructions to {file}");
        return ExitCodes.Success;
    }
}
