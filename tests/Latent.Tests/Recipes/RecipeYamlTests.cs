using System.Text.Json;
using System.Text.Json.Nodes;
using Latent.Recipes;

namespace Latent.Tests.Recipes;

public class RecipeYamlTests
{
    public static TheoryData<string> PresetNames => [.. Presets.Names];

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void EveryPresetReadsBackFromItsYamlAsTheSameRecipe(string name)
    {
        var preset = Presets.Get(name);

        var parsed = RecipeYaml.Parse(RecipeYaml.Serialize(preset), $"{name}.yaml");

        Assert.Equal(RecipeJson.Serialize(preset), RecipeJson.Serialize(parsed));
    }

    [Fact]
    public void TheYamlOfARecipeIsBlockMappingsWithListsOnOneLine()
    {
        string yaml = RecipeYaml.Serialize(Presets.Get("wgangp8g"));

        Assert.StartsWith("name: wgangp8g\n", yaml);
        Assert.Contains("\ngan:\n  latent_dim: ", yaml);
        Assert.Contains("\n  generator:\n    kind: mlp\n", yaml);
        Assert.Contains("\n    hidden: [", yaml);
        Assert.Contains("\nlr_decay: null\n", yaml);
        Assert.Contains("\nlogging:\n  tensorboard: true\n", yaml);
        // Commas and brackets need no quotes outside flow collections.
        Assert.Contains("\ndescription: WGAN-GP on the 8-Gaussian ring, G 2-128-2", yaml);
    }

    [Fact]
    public void ScalarsAreTypedByTheYaml12CoreSchema()
    {
        const string yaml = """
            decimal: 12
            negative: -3
            plus: +7
            leading_zeros: 007
            hexadecimal: 0x1F
            octal: 0o17
            exponent: 2e-4
            no_leading_digit: .5
            no_trailing_digit: 1.
            true_lower: true
            true_title: True
            false_upper: FALSE
            yes: yes
            no: no
            on: on
            tilde: ~
            null_word: null
            empty:
            single_quoted: '5'
            double_quoted: "true"
            underscores: 10_000
            tagged_string: !!str 12
            literal: |
              two
              lines
            tagged_float: !!float 3
            """;

        var tree = RecipeYaml.ToJson(yaml, "types.yaml")!.AsObject();

        foreach (var (key, json) in new[]
                 {
                     ("decimal", "12"), ("negative", "-3"), ("plus", "7"), ("leading_zeros", "7"), ("hexadecimal", "31"), ("octal", "15"),
                     ("exponent", "2e-4"), ("no_leading_digit", "0.5"), ("no_trailing_digit", "1.0"), ("tagged_float", "3"),
                 })
        {
            Assert.Equal(JsonValueKind.Number, tree[key]!.GetValueKind());
            Assert.Equal(json, tree[key]!.ToJsonString());
        }
        Assert.Equal(JsonValueKind.True, tree["true_lower"]!.GetValueKind());
        Assert.Equal(JsonValueKind.True, tree["true_title"]!.GetValueKind());
        Assert.Equal(JsonValueKind.False, tree["false_upper"]!.GetValueKind());
        foreach (var (key, text) in new[]
                 {
                     ("yes", "yes"), ("no", "no"), ("on", "on"), ("single_quoted", "5"), ("double_quoted", "true"),
                     ("underscores", "10_000"), ("tagged_string", "12"), ("literal", "two\nlines\n"),
                 })
        {
            Assert.Equal(JsonValueKind.String, tree[key]!.GetValueKind());
            Assert.Equal(text, tree[key]!.GetValue<string>());
        }
        foreach (string key in new[] { "tilde", "null_word", "empty" })
        {
            Assert.True(tree.ContainsKey(key));
            Assert.Null(tree[key]);
        }
    }

    [Fact]
    public void YesIsAStringNotABooleanSoABooleanFieldRefusesIt()
    {
        var error = Assert.Throws<RecipeException>(() => RecipeYaml.Parse("gan:\n  conditional: yes\n", "my.yaml"));

        Assert.Equal("my.yaml: gan.conditional: expected true or false, found the string \"yes\"", error.Message);
    }

    [Theory]
    [InlineData("{\"gan\": {\"critic_step\": 5}}", "gan:\n  critic_step: 5\n")]
    [InlineData("{\"stepz\": 5}", "stepz: 5\n")]
    [InlineData("{\"gan\": {\"generator\": {\"hidden\": [16, \"x\"]}}}", "gan:\n  generator:\n    hidden:\n      - 16\n      - x\n")]
    [InlineData("{\"gan\": {\"generator\": {\"hidden\": [16, 1.5]}}}", "gan:\n  generator:\n    hidden: [16, 1.5]\n")]
    [InlineData("{\"batch_size\": 3000000000}", "batch_size: 3000000000\n")]
    [InlineData("{\"steps\": null}", "steps:\n")]
    [InlineData("{\"steps\": 2.0}", "steps: 2.0\n")]
    [InlineData("{\"data\": [1]}", "data: [1]\n")]
    [InlineData("{\"gan\": {\"ema\": \"0.9\"}}", "gan:\n  ema: '0.9'\n")]
    [InlineData("{\"logging\": {\"tensorbord\": true}}", "logging:\n  tensorbord: true\n")]
    public void YamlGetsTheSameKeyAndTypeMessagesAsJson(string json, string yaml)
    {
        var fromJson = Assert.Throws<RecipeException>(() => RecipeJson.Parse(json, "recipe"));
        var fromYaml = Assert.Throws<RecipeException>(() => RecipeYaml.Parse(yaml, "recipe"));

        Assert.Equal(fromJson.Message, fromYaml.Message);
    }

    [Theory]
    [InlineData("gan:\n  loss: hinje\n", "gan.loss: unknown \"hinje\" (did you mean \"hinge\"?); expected one of minimax, non-saturating, wasserstein, hinge, least-squares")]
    [InlineData("gan:\n  discriminator:\n    hidden: [32, 0]\n", "gan.discriminator.hidden[1]: 0 is out of range; expected a whole number ≥ 1")]
    [InlineData("gan:\n  critic_steps: 0\n", "gan.critic_steps: 0 is out of range; expected a whole number ≥ 1")]
    public void YamlGetsTheSameValueChecksAsJson(string yaml, string message)
    {
        var recipe = RecipeYaml.Parse(yaml, "my.yaml");

        var error = Assert.Throws<RecipeException>(() => RecipeValidator.Validate(recipe));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("steps: 5\ngan: [1, 2\nseed: 3\n", 3)]
    [InlineData("steps: 5\ngan:\n  loss: \"hinge\n", 3)]
    [InlineData("steps: 5\n  seed: 3\n", 2)]
    public void ASyntaxErrorNamesTheFileLineAndColumn(string yaml, int line)
    {
        var error = Assert.Throws<RecipeException>(() => RecipeYaml.Parse(yaml, "broken.yaml"));

        Assert.Matches($"^broken\\.yaml: not valid YAML at line {line}, column [0-9]+: [A-Za-z]", error.Message);
        Assert.DoesNotContain("Idx:", error.Message);
    }

    [Fact]
    public void AKeyGivenTwiceIsRefusedWithBothLines()
    {
        var error = Assert.Throws<RecipeException>(() => RecipeYaml.Parse("steps: 5\ngan:\n  loss: hinge\n  loss: wasserstein\n", "twice.yaml"));

        Assert.Equal("twice.yaml: gan.loss: given twice in one mapping (first at line 3) (line 4, column 3)", error.Message);
    }

    [Theory]
    [InlineData("gan:\n  ema: .inf\n", "my.yaml: gan.ema: .inf is not a finite number; no recipe field takes infinities or NaN (line 2, column 8)")]
    [InlineData("data:\n  range: [0, .nan]\n", "my.yaml: data.range[1]: .nan is not a finite number; no recipe field takes infinities or NaN (line 2, column 14)")]
    [InlineData("steps: !!binary AAAA\n", "my.yaml: steps: the tag tag:yaml.org,2002:binary is not one a recipe uses; expected no tag, or !!str, !!int, !!float, !!bool, !!null (line 1, column 8)")]
    [InlineData("steps: !!int 2.5\n", "my.yaml: steps: !!int \"2.5\" is not a whole number (line 1, column 8)")]
    [InlineData("- 1\n- 2\n", "my.yaml: expected a YAML mapping (key: value lines) at the top level, found a list")]
    [InlineData("", "my.yaml: expected a YAML mapping (key: value lines) at the top level, found nothing")]
    [InlineData("# only a comment\n", "my.yaml: expected a YAML mapping (key: value lines) at the top level, found nothing")]
    [InlineData("steps: 5\n---\nsteps: 6\n", "my.yaml: a second YAML document (after '---'); expected one recipe per file (line 2, column 1)")]
    [InlineData("base: &base\n  lr: 0.1\ngan:\n  generator_optimizer:\n    <<: *base\n", "my.yaml: gan.generator_optimizer.<<: merge keys (<<) are YAML 1.1 only; write the keys out, or use an alias (*name) for a whole value (line 5, column 5)")]
    [InlineData("gan:\n  loss: *nowhere\n", "my.yaml: gan.loss: the alias *nowhere names no anchor defined before it (line 2, column 9)")]
    public void ValuesNoRecipeCanHoldAreRefusedWithPathAndPosition(string yaml, string message)
    {
        var error = Assert.Throws<RecipeException>(() => RecipeYaml.Parse(yaml, "my.yaml"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void AnAliasRepeatsTheAnchoredValue()
    {
        const string yaml = """
            gan:
              generator_optimizer: &optimizer
                lr: 0.0001
                beta1: 0
                beta2: 0.9
              discriminator_optimizer: *optimizer
            """;

        var recipe = RecipeYaml.Parse(yaml, "alias.yaml");

        Assert.Equal(new OptimizerSpec { Lr = 1e-4, Beta1 = 0, Beta2 = 0.9 }, recipe.Gan.GeneratorOptimizer);
        Assert.Equal(recipe.Gan.GeneratorOptimizer, recipe.Gan.DiscriminatorOptimizer);
    }

    [Fact]
    public void OverridesApplyToAYamlRecipeAsToAJsonOne()
    {
        const string yaml = "steps: 50\ngan:\n  loss: wasserstein\n";

        var recipe = RecipeYaml.Parse(yaml, "my.yaml", ["gan.loss=hinge", "gan.generator.hidden=[8,8]", "logging.histograms_every=10"]);

        Assert.Equal(50, recipe.Steps);
        Assert.Equal("hinge", recipe.Gan.Loss);
        Assert.Equal([8, 8], recipe.Gan.Generator.Hidden);
        Assert.Equal(10, recipe.Logging.HistogramsEvery);
        var error = Assert.Throws<RecipeException>(() => RecipeYaml.Parse(yaml, "my.yaml", ["gan.los=hinge"]));
        Assert.StartsWith("my.yaml: gan.los: unknown key (did you mean 'loss'?)", error.Message);
    }

    [Fact]
    public void StringsThatLookLikeOtherTypesAreQuotedWhenWritten()
    {
        var recipe = new Recipe { Name = "true", Description = "lr: 1e-4, # not a comment", Data = new() { Kind = "idx", TrainImages = "123" } };

        string yaml = RecipeYaml.Serialize(recipe);

        Assert.Contains("name: \"true\"\n", yaml);
        Assert.Contains("description: \"lr: 1e-4, # not a comment\"\n", yaml);
        Assert.Contains("train_images: \"123\"\n", yaml);
        Assert.Equal(RecipeJson.Serialize(recipe), RecipeJson.Serialize(RecipeYaml.Parse(yaml, "quoted.yaml")));
    }
}
