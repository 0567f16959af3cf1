using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latent.Cli.Tests.Commands;

[Collection(TrainedRunsCollection.Name)]
public sealed class TrainCommandTests(TrainedRuns runs) : CliTest
{
    [Fact]
    public void TrainWritesTheWholeRunFolderAndPrintsItsFigures()
    {
        var run = runs.Gan1d; // latent train gan1d --steps 200 --out run1 --quiet

        var lines = run.Training.StdoutLines.Select(l => l.Trim()).ToList();
        Assert.Contains(lines, l => l.StartsWith("mean ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("std ", StringComparison.Ordinal));
        Assert.Contains("run: run1", lines);
        Assert.True(File.Exists(run["recipe.json"]));
        Assert.Equal(200, File.ReadAllLines(run["metrics.jsonl"]).Length);
        Assert.True(File.Exists(run["eval.json"]));
        Assert.True(File.Exists(run["samples.png"]));
        Assert.NotEmpty(Directory.GetFiles(run["checkpoints/step-000200"]));
    }

    [Fact]
    public void TrainEndsWithTheHealthOfTheTrainingFromItsLog()
    {
        var run = runs.Ring; // a WGAN-GP: every step check and both probes ran

        Assert.Equal("", File.ReadAllText(run["health.jsonl"]));
        Assert.Equal(["health: no problems found"], run.Training.StdoutLines.Where(l => l.StartsWith("health:", StringComparison.Ordinal)));
        // An autoencoder has no adversarial balance to watch: no log, no health line.
        Assert.False(File.Exists(runs.Autoencoder["health.jsonl"]));
        Assert.DoesNotContain(runs.Autoencoder.Training.StdoutLines, l => l.StartsWith("health:", StringComparison.Ordinal));
    }

    [Fact]
    public void QuietTrainingPrintsNoProgress()
    {
        Assert.DoesNotContain(runs.Gan1d.Training.StdoutLines, l => l.StartsWith("step ", StringComparison.Ordinal));
        Assert.Equal("", runs.Gan1d.Training.Stderr);
    }

    [Fact]
    public void HelpListsTheOptionsAndAnExample()
    {
        var result = Latent("train", "--help").ShouldExitWith(ExitCodes.Success);

        foreach (string option in new[] { "--seed", "--steps", "--out", "--threads", "--set", "--device", "--quiet" })
            Assert.Contains(option, result.Stdout);
        Assert.Contains("Examples:", result.Stdout);
        Assert.Contains("latent train wgangp8g", result.Stdout);
        Assert.Empty(Folder.Snapshot());
    }

    [Fact]
    public void SameSeedGivesByteIdenticalMetricsAndAnotherSeedDoesNot()
    {
        Latent("train", "gan1d", "--seed", "3", "--steps", "100", "--out", "a", "--quiet").ShouldExitWith(ExitCodes.Success);
        Latent("train", "gan1d", "--seed", "3", "--steps", "100", "--out", "b", "--quiet").ShouldExitWith(ExitCodes.Success);
        Latent("train", "gan1d", "--seed", "4", "--steps", "100", "--out", "c", "--quiet").ShouldExitWith(ExitCodes.Success);

        byte[] first = File.ReadAllBytes(Folder["a/metrics.jsonl"]);
        Assert.Equal(100, File.ReadAllLines(Folder["a/metrics.jsonl"]).Length);
        Assert.Equal(first, File.ReadAllBytes(Folder["b/metrics.jsonl"]));
        Assert.NotEqual(first, File.ReadAllBytes(Folder["c/metrics.jsonl"]));
    }

    [Fact]
    public void RecipeFileWrittenByPresetsJsonTrains()
    {
        var preset = Latent("presets", "--json", "gan1d").ShouldExitWith(ExitCodes.Success);
        var recipe = JsonNode.Parse(preset.Stdout)!.AsObject();
        recipe["steps"] = 100;
        File.WriteAllText(Folder["file.json"], recipe.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var result = Latent("train", "file.json", "--out", "r", "--quiet").ShouldExitWith(ExitCodes.Success);

        Assert.Contains("run: r", result.StdoutLines);
        using var written = JsonDocument.Parse(File.ReadAllText(Folder["r/recipe.json"]));
        Assert.Equal(100, written.RootElement.GetProperty("steps").GetInt64());
        Assert.Equal(100, File.ReadAllLines(Folder["r/metrics.jsonl"]).Length);
    }

    [Fact]
    public void RedirectedProgressIsPlainPeriodicLines()
    {
        var result = Latent("train", "gan1d", "--steps", "100", "--out", "p").ShouldExitWith(ExitCodes.Success);

        var progress = result.StdoutLines.Where(l => l.Contains("step", StringComparison.Ordinal) && l.Contains("steps/s", StringComparison.Ordinal)).ToList();
        Assert.True(progress.Count >= 2, $"expected periodic progress lines\n{result}");
        Assert.Contains(progress, l => l.Contains("100/100", StringComparison.Ordinal));
        Assert.DoesNotContain('\r', result.Stdout);
        Assert.DoesNotContain('\u001b', result.Stdout); // no terminal escapes either
    }

    [Fact]
    public void UnknownPresetListsThePresetsAndSuggestsTheNearest()
    {
        AssertBadInput(["train", "wgangp9g"], "'wgangp9g'", "did you mean 'wgangp8g'", "gan1d-seed", "wgangp8g,");
    }

    [Fact]
    public void UnknownOptionListsTheOptions()
    {
        AssertBadInput(["train", "gan1d", "--stepz", "5"], "--stepz", "--steps", "--seed");
    }

    [Theory]
    [InlineData("--steps -1", "--steps", "-1", "≥ 1")]
    [InlineData("--steps abc", "--steps", "'abc'", "whole number")]
    [InlineData("--threads 0", "--threads", "0", "≥ 1")]
    public void OutOfRangeOrMalformedNumberIsBadInput(string options, params string[] mentions)
    {
        AssertBadInput(["train", "gan1d", .. options.Split(' ')], mentions);
    }

    [Theory]
    [InlineData("batch_size=0", "batch_size", "≥ 1")]
    [InlineData("gan.loss=hinje", "gan.loss", "\"hinje\"", "did you mean \"hinge\"", "least-squares")]
    [InlineData("gan.critic_step=3", "gan.critic_step", "unknown key", "did you mean 'critic_steps'")]
    [InlineData("data.kind=moons", "data.kind", "\"moons\"", "gaussian", "ring")]
    [InlineData("steps", "--set steps", "path=value")]
    public void ImpossibleSetIsBadInput(string assignment, params string[] mentions)
    {
        AssertBadInput(["train", "gan1d", "--set", assignment], mentions);
    }

    [Fact]
    public void MalformedRecipeFileIsNamedWithTheLine()
    {
        File.WriteAllText(Folder["broken.json"], "{\n  \"steps\": 100,\n  \"gan\": { \"loss\": \"hinge\" }\n  \"seed\": 1\n}\n");

        AssertBadInput(["train", "broken.json"], "broken.json", "not valid JSON", "line 4");
    }

    [Fact]
    public void UnknownNestedKeyInRecipeFileIsNamedByItsPath()
    {
        File.WriteAllText(Folder["nested.json"], """{"gan": {"n_critic": 5}}""");

        AssertBadInput(["train", "nested.json"], "nested.json", "gan.n_critic", "unknown key", "critic_steps");
    }

    [Fact]
    public void WrongTypeInRecipeFileSaysWhatWasExpected()
    {
        File.WriteAllText(Folder["type.json"], """{"steps": "many"}""");

        AssertBadInput(["train", "type.json"], "type.json", "steps", "expected a whole number", "\"many\"");
    }

    [Fact]
    public void MissingRecipeFileIsNamed()
    {
        AssertBadInput(["train", "nope.json"], "'nope.json'", "not found");
    }

    [Fact]
    public void OutAtAnExistingRunIsRefusedAndLeavesTheRunUnchanged()
    {
        Folder.CopyIn(runs.Gan1d.Folder, "run1");

        // AssertBadInput compares every file's hash before and after.
        AssertBadInput(["train", "gan1d", "--steps", "5", "--out", "run1", "--quiet"], "--out run1", "already holds a run");
    }

    [Fact]
    public void DeviceCudaOnACpuOnlyMachineSaysThereIsNoCudaDevice()
    {
        // LatentRuntime.ResolveDevice's ArgumentException must reach the user as bad input naming the device, not a crash.
        AssertBadInput(["train", "gan1d", "--device", "cuda", "--steps", "5"], "cuda", "no CUDA device");
    }

    [Fact]
    public void OutAtAnExistingFileIsBadInput()
    {
        // A file where the run folder should go is bad input about --out, not a failure during training.
        File.WriteAllText(Folder["taken"], "not a folder");

        AssertBadInput(["train", "gan1d", "--steps", "5", "--out", "taken", "--quiet"], "--out", "taken");
    }
}
