using Latent.Recipes;
using Latent.Training;

namespace Latent.Tests.Recipes;

public class PresetsTests
{
    public static TheoryData<string> PresetNames => [.. Presets.Names];

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void EveryPresetValidatesBuildsAndTrainsThreeStepsWithFiniteFigures(string name)
    {
        var recipe = Presets.Get(name);
        RecipeValidator.Validate(recipe);
        using var built = RecipeBuilder.Build(recipe);

        var last = new Trainer().Fit(built.Model, built.Batches, 3); // throws on a non-finite figure

        Assert.Equal(name, recipe.Name);
        Assert.NotEmpty(last.Values);
        Assert.All(last.Values, figure => Assert.True(double.IsFinite(figure.Value), figure.Key));
    }

    [Fact]
    public void EveryWorkloadHasItsTutorialRecipeAndLatentsOwn()
    {
        string[] workloads = ["ae2d", "dae2d", "vae2d", "ae3x3", "gan1d", "gan8g", "wgan8g", "wgangp8g"];

        Assert.All(workloads, name => Assert.Contains(name, Presets.Names));
        Assert.All(workloads, name => Assert.Contains(name + "-seed", Presets.Names));
        Assert.Equal(Presets.Names.Count, Presets.Names.Distinct().Count());
    }

    [Fact]
    public void AnUnknownPresetSuggestsTheNearestAndListsThem()
    {
        var error = Assert.Throws<RecipeException>(() => Presets.Get("wgangp8"));

        Assert.Contains("did you mean 'wgangp8g'", error.Message);
        Assert.Contains("ae2d-seed", error.Message);
        Assert.False(Presets.Contains("wgangp8"));
        Assert.True(Presets.Contains("wgangp8g"));
    }
}
