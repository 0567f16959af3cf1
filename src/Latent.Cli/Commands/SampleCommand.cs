using System.Globalization;
using System.Text;
using Latent.Data.Images;
using Latent.Models;
using Latent.Recipes;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Cli.Commands;

/// <summary><c>latent sample</c>: draws new examples from a trained GAN or VAE.</summary>
internal static class SampleCommand
{
    public const string Help = """
        latent sample <run> --n N --out FILE [--class C] [--seed N] [--data-dir DIR]

        Draws N new examples from a trained GAN (its EMA generator when it has one) or VAE.
        FILE ending in .csv: one example per row (x0,x1,...); ending in .png: a plot of the
        samples against the real data, or for images a grid of 10 per row (a conditional
        model: one row per class, or only class C with --class).

        Options:
          --n N           how many examples (required; a conditional image grid without --class
                          always shows one row of 10 per class)
          --out FILE      where to write them, .csv or .png (required)
          --class C       conditional models: only this class (its index, or its name: 7, Sneaker)
          --seed N        seed for the latent codes (default: the run's seed)
          --data-dir DIR  where the data sets are installed (see latent data --help)

        Examples:
          latent sample runs/wgangp8g --n 1000 --out ring.png
          latent sample runs/gan1d --n 10000 --out samples.csv
          latent sample runs/mnist-cgan-mlp --n 10 --out digits.png
          latent sample runs/mnist-cgan-mlp --n 50 --class 7 --out sevens.png
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var arguments = Arguments.Parse("sample", args, ["--n", "--out", "--seed", "--class", "--data-dir"], []);
        string folder = arguments.Single("run folder");
        long n = arguments.Whole("--n", 1) ?? throw new UsageException("sample: --n N is required (how many examples)");
        if (n > 10_000_000)
            throw new UsageException($"sample: --n {n} is out of range; expected at most 10000000");
        string file = arguments.Value("--out") ?? throw new UsageException("sample: --out FILE is required (.csv or .png)");
        string extension = Path.GetExtension(file).ToLowerInvariant();
        if (extension is not (".csv" or ".png"))
            throw new UsageException($"sample: --out {file}: expected a file ending in .csv or .png");

        using var run = RecipeRunner.Load(folder, new DataStore(arguments.Value("--data-dir")));
        if (run.Model is not ILatentModel sampler)
            throw new UsageException($"sample: run '{folder}' is an {run.Recipe.Family}, which does not generate new examples; use a GAN or VAE run (or 'latent eval' for its reconstructions)");
        int? onlyClass = arguments.Value("--class") is { } className ? ClassIndex(className, sampler, run) : null;
        long seed = arguments.Whole("--seed", 0) ?? run.Recipe.Seed;
        using var scope = NewDisposeScope();
        using var rng = SeededRandom.Derive(seed, RandomStream.Sampling);
        ImageOutput.PrepareFolder(file);
        if (run.Data is ImageData images && extension == ".png")
        {
            int rows = (int)Math.Clamp((n + ImageRunPlots.Columns - 1) / ImageRunPlots.Columns, 1, 100);
            ImageRunPlots.Samples(sampler, images, rng, file, $"{run.Recipe.Name}: samples (seed {seed})", rows, onlyClass);
            output.WriteLine($"wrote a grid of samples to {file}");
            return ExitCodes.Success;
        }
        var samples = (onlyClass is { } label
            ? sampler.SampleClasses(full(n, label, dtype: int64), rng)
            : sampler.Sample(n, rng)).cpu();
        if (extension == ".csv")
            RunFolder.WriteAtomically(file, ToCsv(samples));
        else
            RunPlotter.PlotSamples(run, samples, file, $"{run.Recipe.Name}: {n} samples (seed {seed})");
        output.WriteLine($"wrote {n} samples to {file}");
        return ExitCodes.Success;
    }

    /// <summary>A class by index or by name, checked against the model.</summary>
    private static int ClassIndex(string value, ILatentModel model, BuiltRecipe run)
    {
        if (model.Classes == 0)
            throw new UsageException($"sample: --class {value}: this {run.Recipe.Family} is not conditional; it draws from every class at once");
        var names = (run.Data as ImageData)?.ClassNames ?? [];
        int byName = names.ToList().FindIndex(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
        if (byName >= 0)
            return byName;
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < model.Classes)
            return index;
        throw new UsageException($"sample: --class {value}: expected a class index 0 to {model.Classes - 1} or a name ({string.Join(", ", names)})");
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
