using System.Globalization;
using System.Text;
using Latent.Models;
using Latent.Recipes;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Cli.Commands;

/// <summary><c>latent sample</c>: draws new examples from a trained GAN or VAE.</summary>
internal static class SampleCommand
{
    public const string Help = """
        latent sample <run> --n N --out FILE [--seed N]

        Draws N new examples from a trained GAN (its EMA generator when it has one) or VAE.
        FILE ending in .csv: one example per row (x0,x1,...); ending in .png: a plot of the
        samples against the real data.

        Options:
          --n N       how many examples (required)
          --out FILE  where to write them, .csv or .png (required)
          --seed N    seed for the latent codes (default: the run's seed)

        Examples:
          latent sample runs/wgangp8g --n 1000 --out ring.png
          latent sample runs/gan1d --n 10000 --out samples.csv
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var arguments = Arguments.Parse("sample", args, ["--n", "--out", "--seed"], []);
        string folder = arguments.Single("run folder");
        long n = arguments.Whole("--n", 1) ?? throw new UsageException("sample: --n N is required (how many examples)");
        if (n > 10_000_000)
            throw new UsageException($"sample: --n {n} is out of range; expected at most 10000000");
        string file = arguments.Value("--out") ?? throw new UsageException("sample: --out FILE is required (.csv or .png)");
        string extension = Path.GetExtension(file).ToLowerInvariant();
        if (extension is not (".csv" or ".png"))
            throw new UsageException($"sample: --out {file}: expected a file ending in .csv or .png");

        using var run = RecipeRunner.Load(folder);
        if (run.Model is not ISampler sampler)
            throw new UsageException($"sample: run '{folder}' is an {run.Recipe.Family}, which does not generate new examples; use a GAN or VAE run (or 'latent eval' for its reconstructions)");
        long seed = arguments.Whole("--seed", 0) ?? run.Recipe.Seed;
        using var scope = NewDisposeScope();
        using var rng = SeededRandom.Derive(seed, RandomStream.Sampling);
        var samples = sampler.Sample(n, rng).cpu();

        string? directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        if (extension == ".csv")
            RunFolder.WriteAtomically(file, ToCsv(samples));
        else
            RunPlotter.PlotSamples(run, samples, file, $"{run.Recipe.Name}: {n} samples (seed {seed})");
        output.WriteLine($"wrote {n} samples to {file}");
        return ExitCodes.Success;
    }

    private static string ToCsv(Tensor samples)
    {
        var rows = samples.reshape(samples.shape[0], -1).to(float64);
        long columns = rows.shape[1];
        double[] values = rows.data<double>().ToArray();
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", Enumerable.Range(0, (int)columns).Select(c => $"x{c}")));
        for (long r = 0; r < rows.shape[0]; r++)
        {
            for (long c = 0; c < columns; c++)
            {
                if (c > 0)
                    text.Append(',');
                text.Append(values[r * columns + c].ToString("R", CultureInfo.InvariantCulture));
            }
            text.AppendLine();
        }
        return text.ToString();
    }
}
