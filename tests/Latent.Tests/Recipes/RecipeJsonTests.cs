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
    [InlineData("{\"gan\": {\"generator\": {\"hidden\": \"16\"}}}", "gan.generator.hidden", "a list of whole numbers")]
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

    [Theory]
    [InlineData("{\"stepz\": 5}", "stepz", "steps", "name, description, seed, steps, epochs, batch_size")]
    [InlineData("{\"data\": {\"kind\": \"ring\", \"mode\": 4}}", "data.mode", "modes", "kind, mean, std, modes, radius")]
    [InlineData("{\"gan\": {\"generator_optimizer\": {\"betta1\": 0.5}}}", "gan.generator_optimizer.betta1", "beta1", "kind, lr, beta1, beta2, momentum, weight_decay")]
    [InlineData("{\"vae\": {\"decoder\": {\"hiden\": [8]}}}", "vae.decoder.hiden", "hidden", "kind, width, layers, hidden, activation")]
    [InlineData("{\"autoencoder\": {\"corruption\": {\"probabilty\": 0.1}}}", "autoencoder.corruption.probabilty", "probability", "kind, std, probability")]
    [InlineData("{\"logging\": {\"tensorbord\": false}}", "logging.tensorbord", "tensorboard", "tensorboard, scalars_every, images, histograms_every")]
    public void AnUnknownKeyAtAnyDepthIsNamedWithItsPathTheNearestKeyAndEveryAllowedKey(string json, string path, string near, string allowed)
    {
        var error = Assert.Throws<RecipeException>(() => RecipeJson.Parse(json, "my.json"));

        Assert.StartsWith($"my.json: {path}: unknown key (did you mean '{near}'?); expected one of ", error.Message);
        Assert.Contains(allowed, error.Message);
    }

    [Fact]
    public void AnUnknownKeyFarFromEveryKnownOneListsTheAllowedKeysWithoutAGuess()
    {
        var error = Assert.Throws<RecipeException>(() => RecipeJson.Parse("{\"gan\": {\"generator\": {\"xyzzy\": 1}}}", "my.json"));

        Assert.Equal("my.json: gan.generator.xyzzy: unknown key; expected one of kind, width, layers, hidden, activation, output_activation, leaky_slope, " +
                     "batch_norm, dropout, init, spectral_norm, minibatch_std_dev, minibatch_kernels, minibatch_kernel_dim", error.Message);
    }

    [Theory]
    [InlineData("{\"gan\": {\"generator\": {\"hidden\": [16, \"x\"]}}}", "my.json: gan.generator.hidden[1]: expected a whole number, found the string \"x\"")]
    [InlineData("{\"gan\": {\"discriminator\": {\"hidden\": [16, 8, 2.5]}}}", "my.json: gan.discriminator.hidden[2]: expected a whole number, found the number 2.5")]
    [InlineData("{\"data\": {\"range\": [0, null]}}", "my.json: data.range[1]: must not be null; expected a number")]
    [InlineData("{\"evaluation\": {\"importance_samples\": [1, true]}}", "my.json: evaluation.importance_samples[1]: expected a whole number, found true")]
    [InlineData("{\"data\": {\"range\": 1}}", "my.json: data.range: expected a list of numbers, found the number 1")]
    public void AWrongListItemIsNamedByItsIndex(string json, string message)
    {
        var error = Assert.Throws<RecipeException>(() => RecipeJson.Parse(json, "my.json"));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("{\"batch_size\": 3000000000}", "my.json: batch_size: expected a whole number from -2147483648 to 2147483647, found the number 3000000000")]
    [InlineData("{\"gan\": {\"conditional\": \"yes\"}}", "my.json: gan.conditional: expected true or false, found the string \"yes\"")]
    [InlineData("{\"logging\": {\"scalars_every\": \"10\"}}", "my.json: logging.scalars_every: expected a whole number, found the string \"10\"")]
    [InlineData("{\"name\": 7}", "my.json: name: expected a string, found the number 7")]
    [InlineData("{\"lr_decay\": [1]}", "my.json: lr_decay: expected an object with keys gamma, every, found a list")]
    public void AWrongTypeSaysWhatWasExpectedAndWhatWasFound(string json, string message)
    {
        var error = Assert.Throws<RecipeException>(() => RecipeJson.Parse(json, "my.json"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void AnOverrideOfTheWrongTypeIsNamedLikeAWrongValueInTheFile()
    {
        var error = Assert.Throws<RecipeException>(() => RecipeJson.WithOverrides(Presets.Get("gan8g"), ["gan.generator.hidden=[64,\"wide\"]"], "--set"));

        Assert.Equal("--set: gan.generator.hidden[1]: expected a whole number, found the string \"wide\"", error.Message);
    }

    [Fact]
    public void TheResolvedRecipeHasTheLoggingSectionWithItsDefaults()
    {
        string json = RecipeJson.Serialize(new Recipe());

        Assert.Contains("\"logging\": {\n    \"tensorboard\": true,\n    \"scalars_every\": 0,\n    \"images\": true,\n    \"histograms_every\": 0\n  }", json);
        var parsed = RecipeJson.Parse("{\"logging\": {\"histograms_every\": 50}}", "test");
        Assert.Equal(new LoggingSpec { HistogramsEvery = 50 }, parsed.Logging);
    }
}
