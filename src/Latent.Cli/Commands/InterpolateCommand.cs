using Latent.Data.Images;
using Latent.Models;
using Latent.Recipes;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Cli.Commands;

/// <summary><c>latent interpolate</c>: walks the latent space of a trained image GAN or VAE and draws the strips.</summary>
internal static class InterpolateCommand
{
    public const string Help = """
        latent interpolate <run> --out FILE.png [--rows N] [--linear] [--seed N] [--data-dir DIR]

        Draws N rows of 10 images, each decoded from codes evenly spaced between two
        points of the latent space: for a VAE the codes of two test images, for a GAN
        two random codes. A conditional model keeps one class along each row. The path
        follows the great circle between the codes (slerp, the usual choice for a
        Gaussian prior) unless --linear asks for the straight line.

        Options:
          --out FILE.png  where to draw the strips (required)
          --rows N        how many strips (default 6)
          --linear        straight-line interpolation instead of spherical
          --seed N        picks the codes and images (default: the run's seed)
          --data-dir DIR  where the data sets are installed (see latent data --help)

        Examples:
          latent interpolate runs/mnist-vae-mlp --out walk.png
          latent interpolate runs/mnist-dcgan --rows 8 --linear --out lines.png
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var arguments = Arguments.Parse("interpolate", args, ["--out", "--rows", "--seed", "--data-dir"], ["--linear"]);
        string folder = arguments.Single("run folder");
        string file = ImageOutput.RequirePng(arguments, "interpolate");
        int rows = (int)Math.Min(arguments.Whole("--rows", 1) ?? 6, 100);

        using var run = RecipeRunner.Load(folder, new DataStore(arguments.Value("--data-dir")));
        var (model, images) = ImageOutput.RequireLatentImageModel(run, folder, "interpolate");
        long seed = arguments.Whole("--seed", 0) ?? run.Recipe.Seed;
        using var scope = NewDisposeScope();
        using var rng = SeededRandom.Derive(seed, RandomStream.Sampling);
        bool spherical = !arguments.Flag("--linear");
        ImageOutput.PrepareFolder(file);
        ImageRunPlots.Interpolation(model, images, rng, file, $"{run.Recipe.Name}: {(spherical ? "spherical" : "linear")} interpolation (seed {seed})", rows, spherical);
        output.WriteLine($"wrote {rows} interpolation strips to {file}");
        return ExitCodes.Success;
    }
}
