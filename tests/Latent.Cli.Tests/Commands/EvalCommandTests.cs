using System.Globalization;
using System.Text.Json;

namespace Latent.Cli.Tests.Commands;

[Collection(TrainedRunsCollection.Name)]
public sealed class EvalCommandTests(TrainedRuns runs) : CliTest
{
    [Fact]
    public void EvalJsonPrintsOnlyTheRunsEvalJsonFigures()
    {
        var run = runs.Gan1d;

        var result = Latent("eval", run.Folder, "--json").ShouldExitWith(ExitCodes.Success);

        // JsonDocument.Parse refuses anything after the object, so this also pins "only one JSON object".
        using var printed = JsonDocument.Parse(result.Stdout);
        using var saved = JsonDocument.Parse(File.ReadAllText(run["eval.json"]));
        var figures = Figures(printed);
        Assert.Equal(["mean", "std", "wasserstein1", "ks"], figures.Keys);
        Assert.Equal(Figures(saved), figures);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void ImageOptionsOnAToyRunAreBadInput()
    {
        AssertBadInput(["eval", runs.Gan1d.Folder, "--samples", "500"], "--samples applies to runs that generate labelled images", "gan on gaussian");
        AssertBadInput(["eval", runs.Gan1d.Folder, "--export-features", "features"], "--export-features");
    }

    [Fact]
    public void EvalPrintsATableOfTheSameFigures()
    {
        var run = runs.Gan1d;
        using var saved = JsonDocument.Parse(File.ReadAllText(run["eval.json"]));

        var result = Latent("eval", run.Folder).ShouldExitWith(ExitCodes.Success);

        Assert.StartsWith("gan1d (", result.StdoutLines[0], StringComparison.Ordinal);
        Assert.Contains("200 steps", result.StdoutLines[0]);
        // The figures, then the training's health (EvalPrintsTheHealthOfTheRunsTraining).
        var rows = result.StdoutLines.Skip(1).TakeWhile(l => !l.StartsWith("health:", StringComparison.Ordinal))
                         .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.All(rows, row => Assert.Equal(2, row.Length));
        // Four significant digits, as Figures.Format prints them.
        var expected = Figures(saved).Select(f => new[] { f.Key, f.Value!.Value.ToString("G4", CultureInfo.InvariantCulture) });
        Assert.Equal(expected, rows);
    }

    [Fact]
    public void EvalPrintsTheHealthOfTheRunsTrainingButNotUnderJson()
    {
        var run = runs.Ring;
        File.Copy(run["health.jsonl"], Folder["health-backup.jsonl"]);
        try
        {
            // A health.jsonl as a troubled training writes it: the summary names the issue, its steps and the fix.
            File.WriteAllText(run["health.jsonl"],
                "{\"step\":20,\"event\":\"raised\",\"issue\":\"lipschitz_lost\",\"severity\":\"warning\",\"critic_slope\":3.1," +
                "\"message\":\"the critic has lost its Lipschitz control\",\"fix\":\"gan.gradient_penalty=10\"}\n");

            var table = Latent("eval", run.Folder).ShouldExitWith(ExitCodes.Success);
            var json = Latent("eval", run.Folder, "--json").ShouldExitWith(ExitCodes.Success);

            int health = table.StdoutLines.ToList().FindIndex(l => l.StartsWith("health:", StringComparison.Ordinal));
            Assert.True(health > 0, table.Stdout);
            Assert.Equal("health: 1 problem during training", table.StdoutLines[health]);
            Assert.Equal("  critic's Lipschitz control lost, step 20 to the end: the critic has lost its Lipschitz control", table.StdoutLines[health + 1]);
            Assert.Equal("    fix: gan.gradient_penalty=10", table.StdoutLines[health + 2]);
            Assert.DoesNotContain("health", json.Stdout);
        }
        finally
        {
            File.Copy(Folder["health-backup.jsonl"], run["health.jsonl"], overwrite: true);
        }
    }

    [Fact]
    public void EvalOfAMixtureRunHasModeFigures()
    {
        var result = Latent("eval", runs.Ring.Folder, "--json").ShouldExitWith(ExitCodes.Success);

        using var printed = JsonDocument.Parse(result.Stdout);
        var figures = Figures(printed);
        Assert.Contains("modes_covered", figures.Keys);
        Assert.Contains("high_quality_share", figures.Keys);
        Assert.Contains("mode_kl", figures.Keys);
        Assert.Equal(8, figures["mode_count"]);
        // The same figures as training wrote, up to rounding: the run trained with --threads 1 and eval uses libtorch's
        // default thread count, which sums the MMD's 5000 x 5000 kernel in another order (last digits differ).
        using var saved = JsonDocument.Parse(File.ReadAllText(runs.Ring["eval.json"]));
        var expected = Figures(saved);
        Assert.Equal(expected.Keys, figures.Keys);
        foreach (var (name, value) in expected)
        {
            if (value is null)
                Assert.Null(figures[name]);
            else
                Assert.True(Math.Abs(figures[name]!.Value - value.Value) <= 1e-12 * Math.Max(1, Math.Abs(value.Value)), $"{name}: {figures[name]} vs eval.json {value}");
        }
    }

    [Fact]
    public void EvalOfAnAutoencoderRunHasReconstructionError()
    {
        var result = Latent("eval", runs.Autoencoder.Folder, "--json").ShouldExitWith(ExitCodes.Success);

        using var printed = JsonDocument.Parse(result.Stdout);
        var figures = Figures(printed);
        Assert.True(figures["reconstruction_mse"] is > 0 and < 10, $"reconstruction_mse {figures["reconstruction_mse"]}");
        Assert.DoesNotContain("mean", figures.Keys);
    }

    [Fact]
    public void HelpOfEvalMentionsJson()
    {
        var result = Latent("eval", "--help").ShouldExitWith(ExitCodes.Success);

        Assert.Contains("latent eval <run>", result.Stdout);
        Assert.Contains("--json", result.Stdout);
    }

    [Fact]
    public void EvalOfAMissingRunIsBadInput()
    {
        AssertBadInput(["eval", "missing-run"], "'missing-run'", "does not exist", "latent train");
    }

    [Fact]
    public void EvalOfAFolderWithoutARecipeIsBadInput()
    {
        Directory.CreateDirectory(Folder["empty"]);

        AssertBadInput(["eval", "empty"], "'empty'", "recipe.json");
    }

    /// <summary>A flat JSON object of figures, in its order; JSON null (a non-finite figure) as null.</summary>
    private static Dictionary<string, double?> Figures(JsonDocument document) =>
        document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? (double?)null : p.Value.GetDouble());
}
