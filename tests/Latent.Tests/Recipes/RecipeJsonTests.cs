using Latent.Recipes;

namespace Latent.Tests.Recipes;

public class RecipeJsonTests
{
    public static TheoryData<string> PresetNames => [.. Presets.Names];

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void SerializeThenParseGivesTheSameRecipe(string name)
    {
        var recipe = Presets.Get(name);
        string json = RecipeJson.Serialize(recipe);

        var parsed = RecipeJson.Parse(json, name);

        Assert.Equal(json, RecipeJson.Serialize(parsed));
        Assert.Equal(recipe.Gan.Generator.Hidden, parsed.Gan.Generator.Hidden);
        Assert.Equal(recipe.Data, parsed.Data);
        Assert.Equal(recipe.Steps, parsed.Steps);
    }

    [Fact]
    public void SerializedKeysAreSnakeCaseAndEveryFieldIsWritten()
    {
        string json = RecipeJson.Serialize(new Recipe());

        Assert.Contains("\"batch_size\": 256", json);
        Assert.Contains("\"critic_steps\": 1", json);
        Assert.Contains("\"generator_optimizer\"", json);
        Assert.Contains("\"lr_decay\": null", json);
    }

    [Fact]
    public void AbsentFieldsTakeTheirDefaults()
    {
        var recipe = RecipeJson.Parse("{\"steps\": 12, \"gan\": {\"loss\": \"hinge\"}}", "test");

        Assert.Equal(12, recipe.Steps);
        Assert.Equal("hinge", recipe.Gan.Loss);
        Assert.Equal(new Recipe().BatchSize, recipe.BatchSize);
        Assert.Equal(new GanSpec().CriticSteps, recipe.Gan.CriticSteps);
    }

    [Fact]
    public void AnUnknownKeyIsNamedWithItsPathAndTheNearestKnownKey()
    {
        var error = Assert.Throws<RecipeException>(() => RecipeJson.Parse("{\"gan\": {\"critic_step\": 5}}", "my.json"));

        Assert.Contains("my.json", error.Message);
        Assert.Contains("gan.critic_step", error.Message);
        Assert.Contains("did you mean 'critic_steps'", error.Message);
    }

    [Fact]
    public void AValueOfTheWrongTypeNamesThePathAndTheExpectedType()
    {
        var error = Assert.Throws<RecipeException>(() => RecipeJson.Parse("{\"steps\": \"many\"}", "my.json"));

        Assert.Contains("steps", error.Message);
        Assert.Contains("a whole number", error.Message);
        Assert.Contains("the string \"many\"", error.Message);
    }

    [Theory]
    [InlineData("{\"steps\": 2.5}", "steps", "a whole number")]
    [InlineData("{\"gan\": {\"generator\": {\"hidden\": [16, \"x\"]}}}", "gan.generator.hidden", "a list of whole numbers")]
    [InlineData("{\"gan\": 3}", "gan", "an object")]
    [InlineData("{\"gan\": {\"ema\": \"0.9\"}}", "gan.ema", "a number")]
    [InlineData("{\"steps\": null}", "steps", "must not be null")]
    public void OtherWrongTypesNameThePathAndTheExpectedType(string json, string path, string expected)
    {
        var error = Assert.Throws<RecipeException>(() => RecipeJson.Parse(json, "my.json"));

        Assert.Contains($"{path}:", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void MalformedJsonNamesTheLine()
    {
        var error = Assert.Throws<RecipeException>(() => RecipeJson.Parse("{\n  \"steps\": 5,\n  oops\n}", "broken.json"));

        Assert.Contains("broken.json", error.Message);
        Assert.Contains("not valid JSON at line 3", error.Message);
    }

    [Fact]
    public void ATopLevelThatIsNotAnObjectIsRefused()
    {
        var error = Assert.Throws<RecipeException>(() => RecipeJson.Parse("[1, 2]", "list.json"));

        Assert.Contains("expected a JSON object", error.Message);
    }

    [Fact]
    public void OverridesSetNamesListsAndNumbersAtDottedPaths()
    {
        var recipe = RecipeJson.Parse("{}", "test", ["gan.loss=hinge", "gan.generator.hidden=[32,32]", "steps=7", "gan.generator_optimizer.lr=1e-4"]);

        Assert.Equal("hinge", recipe.Gan.Loss);
        Assert.Equal([32, 32], recipe.Gan.Generator.Hidden);
        Assert.Equal(7, recipe.Steps);
        Assert.Equal(1e-4, recipe.Gan.GeneratorOptimizer.Lr);
    }

    [Fact]
    public void OverridesOnAPresetChangeOnlyWhatTheyName()
    {
        var preset = Presets.Get("wgangp8g");

        var changed = RecipeJson.WithOverrides(preset, ["gan.critic_steps=3", "lr_decay.gamma=0.5"], "--set");

        Assert.Equal(3, changed.Gan.CriticSteps);
        Assert.Equal(0.5, changed.LrDecay!.Gamma);
        Assert.Equal(new LearningRateDecaySpec().Every, changed.LrDecay.Every);
        string expected = RecipeJson.Serialize(preset with { Gan = preset.Gan with { CriticSteps = 3 }, LrDecay = new() { Gamma = 0.5 } });
        Assert.Equal(expected, RecipeJson.Serialize(changed));
    }

    [Fact]
    public void AnOverrideOfAnUnknownPathIsRefusedLikeAnUnknownKey()
    {
        var error = Assert.Throws<RecipeException>(() => RecipeJson.WithOverrides(new Recipe(), ["gan.los=hinge"], "--set"));

        Assert.Contains("gan.los", error.Message);
        Assert.Contains("did you mean 'loss'", error.Message);
    }

    [Theory]
    [InlineData("steps")]
    [InlineData("=5")]
    [InlineData("gan..loss=hinge")]
    public void AMalformedOverrideIsRefused(string assignment)
    {
        var error = Assert.Throws<RecipeException>(() => RecipeJson.Parse("{}", "test", [assignment]));

        Assert.Contains($"--set {assignment}", error.Message);
    }
}
