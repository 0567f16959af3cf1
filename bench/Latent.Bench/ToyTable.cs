using System.Diagnostics;
using System.Globalization;
using System.Text;
using Latent.Recipes;

namespace Latent.Bench;

/// <summary>
/// Trains every toy preset and its <c>-seed</c> counterpart over a range of seeds and writes a Markdown table of
/// the figures (min / median / max over seeds) and how many seeds meet issue 3's target.
/// </summary>
internal static class ToyTable
{
    public static int Run(IReadOnlyList<string> presets, IReadOnlyList<long> seeds, IReadOnlyList<string> overrides, string? output, TextWriter log)
    {
        var rows = new StringBuilder();
        rows.AppendLine("| preset | seeds meeting the target | key figures, min / median / max over seeds | target | steps/s (median) |");
        rows.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (string preset in presets)
        {
            var target = ToyTargets.All.FirstOrDefault(t => t.Preset == preset || t.Preset + "-seed" == preset);
            var perSeed = new List<IReadOnlyDictionary<string, double>>();
            var rates = new List<double>();
            foreach (long seed in seeds)
            {
                var recipe = Presets.Get(preset) with { Seed = seed };
                if (overrides.Count > 0)
                    recipe = RecipeJson.WithOverrides(recipe, overrides, preset);
                using var built = RecipeBuilder.Build(recipe);
                var clock = Stopwatch.StartNew();
                built.Fit();
                rates.Add(recipe.Steps / clock.Elapsed.TotalSeconds);
                var figures = RunEvaluator.Evaluate(built).ToDictionary(p => p.Key, p => p.Value);
                perSeed.Add(figures);
                log.WriteLine($"{preset} seed {seed}: {string.Join("  ", figures.Select(f => $"{f.Key} {f.Value:G4}"))}  ({rates[^1]:F0} steps/s)");
            }
            string met = target is null || preset.EndsWith("-seed", StringComparison.Ordinal) ? "—" : $"{perSeed.Count(f => target.Met(f))} / {perSeed.Count}";
            string goal = target is null ? "" : preset.EndsWith("-seed", StringComparison.Ordinal) ? $"tutorial's code: {target.TutorialGives}" : target.Goal;
            rows.AppendLine($"| `{preset}` | {met} | {Summary(perSeed)} | {goal} | {Median(rates):F0} |");
        }
        string table = rows.ToString();
        log.WriteLine();
        log.Write(table);
        if (output is not null)
        {
            string header = $"Toy presets over seeds {seeds.First()}-{seeds.Last()}, {Environment.ProcessorCount} cores, libtorch threads: each recipe's (1 for toy data unless --threads), " +
                            $"{DateTime.UtcNow:yyyy-MM-dd}. Command: dotnet run -c Release --project bench/Latent.Bench -- toy-table\n\n";
            File.WriteAllText(output, header + table);
            log.WriteLine($"wrote {output}");
        }
        return 0;
    }

    private static readonly string[] KeyFigures =
        ["modes_covered", "high_quality_share", "mode_kl", "smallest_mode_share", "mean", "std", "wasserstein1", "reconstruction_mse", "denoising_gain", "exact_match_rate"];

    private static string Summary(List<IReadOnlyDictionary<string, double>> perSeed)
    {
        var parts = new List<string>();
        foreach (string name in KeyFigures)
        {
            var values = perSeed.Where(f => f.ContainsKey(name)).Select(f => f[name]).Where(double.IsFinite).OrderBy(v => v).ToList();
            if (values.Count == 0)
                continue;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {values[0]:G3} / {Median(values):G3} / {values[^1]:G3}"));
        }
        return string.Join("; ", parts);
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        int n = sorted.Count;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
