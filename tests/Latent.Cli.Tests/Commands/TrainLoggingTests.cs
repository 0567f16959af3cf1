using System.Text.Json;
using Latent.Recipes;
using Latent.Tests.Training;

namespace Latent.Cli.Tests.Commands;

/// <summary>What <c>latent train</c> logs: TensorBoard events, progress lines, <c>--verbose</c>.</summary>
[Collection(TrainedRunsCollection.Name)]
public sealed class TrainLoggingTests(TrainedRuns runs) : CliTest
{
    [Fact]
    public void TrainingWritesTensorBoardEventsWithEveryStepsFigures()
    {
        var run = runs.Gan1d; // latent train gan1d --steps 200 --out run1 --quiet

        var events = TensorBoardEvents.ReadFolder(run["tensorboard"]);

        var metrics = File.ReadAllLines(run["metrics.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(200, metrics.Count);
        Assert.Equal(metrics.Select(m => (m.GetProperty("step").GetInt64(), (float)m.GetProperty("g_loss").GetDouble())), TensorBoardEvents.Scalars(events, "train/g_loss"));
        var picture = Assert.Single(TensorBoardEvents.Values(events, "samples"));
        Assert.Equal(200, picture.Step);
        Assert.Equal(File.ReadAllBytes(run["samples.png"]).Take(8), picture.Value.Image!.Encoded.Take(8));
    }

    [Fact]
    public void VerbosePrintsWhatTheRunIsAboutToDo()
    {
        var result = Latent("train", "gan1d", "--steps", "20", "--out", "v", "--verbose", "--threads", "1").ShouldExitWith(ExitCodes.Success);

        var lines = result.StdoutLines;
        Assert.Contains("recipe: gan1d, gan on gaussian, 20 steps of batch 256, seed 0", lines);
        Assert.Contains("data: gaussian, 1 values per example", lines);
        using (var built = RecipeBuilder.Build(Presets.Get("gan1d")))
        {
            foreach (var (name, network) in built.Model.Networks)
                Assert.Contains($"{name}: {network.parameters().Sum(p => p.numel()):N0} parameters", lines);
        }
        Assert.Contains(lines, l => l.StartsWith("device: cpu, 1 libtorch thread; native library ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("matrix products: MKL: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("memory: malloc: ", StringComparison.Ordinal));
        Assert.Contains("run folder: v (recipe.json, metrics.jsonl, checkpoints/ every 1,000 steps and at the end, the last 3 kept)", lines);
        Assert.Contains($"tensorboard: {Path.Combine("v", "tensorboard")} (view with: tensorboard --logdir .)", lines);
        Assert.Contains(lines, l => l.StartsWith("step 20/20", StringComparison.Ordinal));
        Assert.True(Array.FindIndex(lines, l => l.StartsWith("recipe: ", StringComparison.Ordinal)) < Array.FindIndex(lines, l => l.StartsWith("step ", StringComparison.Ordinal)));
    }

    [Fact]
    public void LogEverySetsTheStepsBetweenPlainProgressLinesAndTensorBoardCanBeTurnedOff()
    {
        var result = Latent("train", "gan1d", "--steps", "30", "--log-every", "10", "--out", "p", "--threads", "1", "--set", "logging.tensorboard=false")
            .ShouldExitWith(ExitCodes.Success);

        var progress = result.StdoutLines.Where(l => l.StartsWith("step ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, progress.Count);
        Assert.StartsWith("step 10/30", progress[0]);
        Assert.StartsWith("step 20/30", progress[1]);
        Assert.StartsWith("step 30/30", progress[2]);
        Assert.Contains("d_loss", progress[0]);
        Assert.False(Directory.Exists(Folder["p/tensorboard"]));
        Assert.Contains("\"tensorboard\": false", File.ReadAllText(Folder["p/recipe.json"]));
    }

    [Fact]
    public void QuietAndVerboseTogetherIsBadInput()
    {
        AssertBadInput(["train", "gan1d", "--quiet", "--verbose"], "--quiet", "--verbose");
    }

    [Fact]
    public void LogEveryBelowOneIsBadInput()
    {
        AssertBadInput(["train", "gan1d", "--steps", "5", "--log-every", "0"], "--log-every", "≥ 1");
    }

    [Fact]
    public void HelpNamesYamlTensorBoardAndTheLoggingOptions()
    {
        var result = Latent("train", "--help").ShouldExitWith(ExitCodes.Success);

        foreach (string text in new[] { "recipe.yaml", "tensorboard --logdir runs", "--verbose", "--log-every", "--quiet" })
            Assert.Contains(text, result.Stdout);
    }
}
