using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Latent.Cli.Tests.Commands;

/// <summary><c>latent train</c> with recipe files in YAML, and <c>latent presets --yaml</c>.</summary>
public sealed class TrainRecipeFileTests : CliTest
{
    [Fact]
    public void AYamlRecipeWrittenByPresetsYamlTrainsWithSetOverrides()
    {
        var preset = Latent("presets", "--yaml", "gan1d").ShouldExitWith(ExitCodes.Success);
        Assert.StartsWith("name: gan1d\n", preset.Stdout);
        File.WriteAllText(Folder["gan.yaml"], Regex.Replace(preset.Stdout, "(?m)^steps: [0-9]+$", "steps: 60"));

        var result = Latent("train", "gan.yaml", "--set", "seed=2", "--set", "gan.critic_steps=2", "--out", "r", "--quiet", "--threads", "1").ShouldExitWith(ExitCodes.Success);

        Assert.Contains("run: r", result.StdoutLines);
        var expected = JsonNode.Parse(Latent("presets", "--json", "gan1d").ShouldExitWith(ExitCodes.Success).Stdout)!.AsObject();
        expected["steps"] = 60;
        expected["threads"] = 1;
        expected["seed"] = 2;
        expected["gan"]!["critic_steps"] = 2;
        Assert.Equal(expected.ToJsonString(), JsonNode.Parse(File.ReadAllText(Folder["r/recipe.json"]))!.ToJsonString());
        Assert.Equal(60, File.ReadAllLines(Folder["r/metrics.jsonl"]).Length);
    }

    [Fact]
    public void AYmlRecipeWithoutANameIsNamedAfterItsFile()
    {
        File.WriteAllText(Folder["tiny.yml"], "steps: 5\nbatch_size: 32\ndata:\n  kind: gaussian\ngan:\n  generator: {hidden: [8]}\n  discriminator: {hidden: [8]}\n");

        Latent("train", "tiny.yml", "--quiet", "--threads", "1").ShouldExitWith(ExitCodes.Success);

        using var recipe = JsonDocument.Parse(File.ReadAllText(Folder["runs/tiny/recipe.json"]));
        Assert.Equal("tiny", recipe.RootElement.GetProperty("name").GetString());
        Assert.Equal(32, recipe.RootElement.GetProperty("batch_size").GetInt32());
    }

    [Fact]
    public void MalformedYamlIsBadInputWithTheLineAndColumn()
    {
        File.WriteAllText(Folder["bad.yaml"], "steps: 5\ngan:\n  loss: \"hinge\n");

        AssertBadInput(["train", "bad.yaml"], "bad.yaml", "not valid YAML at line 3, column 9");
    }

    [Theory]
    // Keys and types are checked as the file is read (the message names the file), values after (the path suffices).
    [InlineData("gan:\n  n_critic: 5\n", "wrong.yaml: gan.n_critic", "unknown key", "critic_steps")]
    [InlineData("gan:\n  conditional: yes\n", "wrong.yaml: gan.conditional", "expected true or false", "the string \"yes\"")]
    [InlineData("steps: 5\nsteps: 6\n", "wrong.yaml: steps", "given twice", "line 2")]
    [InlineData("gan:\n  generator:\n    hidden: [16, 0]\n", "gan.generator.hidden[1]", "0 is out of range", "≥ 1")]
    [InlineData("gan:\n  loss: hinje\n", "gan.loss", "did you mean \"hinge\"", "minimax, non-saturating, wasserstein, hinge, least-squares")]
    public void AWrongYamlRecipeIsBadInputNamingThePath(string yaml, params string[] mentions)
    {
        File.WriteAllText(Folder["wrong.yaml"], yaml);

        AssertBadInput(["train", "wrong.yaml"], mentions);
    }

    [Fact]
    public void AWrongOverrideOfAYamlRecipeIsBadInputNamingThePath()
    {
        File.WriteAllText(Folder["ok.yaml"], "steps: 5\n");

        AssertBadInput(["train", "ok.yaml", "--set", "logging.scalars_evry=5"], "logging.scalars_evry", "did you mean 'scalars_every'");
    }

    [Fact]
    public void PresetsYamlAndJsonTogetherIsBadInput()
    {
        AssertBadInput(["presets", "--json", "gan1d", "--yaml", "gan1d"], "--json or --yaml");
    }
}
