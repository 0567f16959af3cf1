using System.Text.Json;
using Latent.Recipes;

namespace Latent.Cli.Tests.Commands;

public sealed class PresetsCommandTests : CliTest
{
    [Fact]
    public void PresetsListsEveryPresetOnePerLine()
    {
        var result = Latent("presets").ShouldExitWith(ExitCodes.Success);

        // The library's table is the oracle; the two names pin that it is not empty.
        Assert.Contains("wgangp8g", Presets.Names);
        Assert.Contains("gan1d-seed", Presets.Names);
        var listed = result.StdoutLines.Select(l => l.Split(' ', 2)[0]).ToList();
        Assert.Equal(Presets.Names, listed);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void PresetsJsonPrintsThatPresetsRecipe()
    {
        var result = Latent("presets", "--json", "wgangp8g").ShouldExitWith(ExitCodes.Success);

        using var recipe = JsonDocument.Parse(result.Stdout);
        Assert.Equal("wgangp8g", recipe.RootElement.GetProperty("name").GetString());
        Assert.Equal("wasserstein", recipe.RootElement.GetProperty("gan").GetProperty("loss").GetString());
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void HelpOfPresetsMentionsJson()
    {
        var result = Latent("presets", "--help").ShouldExitWith(ExitCodes.Success);

        Assert.Contains("latent presets", result.Stdout);
        Assert.Contains("--json", result.Stdout);
    }
}
