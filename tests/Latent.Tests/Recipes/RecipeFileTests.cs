using Latent.Recipes;

namespace Latent.Tests.Recipes;

public sealed class RecipeFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("latent-recipe-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void JsonAndYamlFilesOfTheSameRecipeLoadAlikeAndTakeTheirFileName()
    {
        string json = Write("ring.json", "{\"steps\": 40, \"gan\": {\"loss\": \"hinge\", \"generator\": {\"hidden\": [16, 16]}}}");
        string yaml = Write("ring.yaml", "steps: 40\ngan:\n  loss: hinge\n  generator:\n    hidden: [16, 16]\n");
        string yml = Write("ring.YML", "steps: 40\ngan: {loss: hinge, generator: {hidden: [16, 16]}}\n");

        var fromJson = RecipeFile.Load(json);

        Assert.Equal("ring", fromJson.Name);
        Assert.Equal(40, fromJson.Steps);
        Assert.Equal(RecipeJson.Serialize(fromJson), RecipeJson.Serialize(RecipeFile.Load(yaml)));
        Assert.Equal(RecipeJson.Serialize(fromJson), RecipeJson.Serialize(RecipeFile.Load(yml)));
    }

    [Fact]
    public void ANamedRecipeKeepsItsName()
    {
        string yaml = Write("file.yaml", "name: my-gan\n");

        Assert.Equal("my-gan", RecipeFile.Load(yaml).Name);
    }

    [Fact]
    public void OverridesApplyToEitherFormat()
    {
        string yaml = Write("o.yml", "steps: 40\n");

        var recipe = RecipeFile.Load(yaml, ["steps=7", "gan.critic_steps=3"]);

        Assert.Equal(7, recipe.Steps);
        Assert.Equal(3, recipe.Gan.CriticSteps);
    }

    [Fact]
    public void TheExtensionChoosesTheReader()
    {
        string yamlInJson = Write("wrong.json", "steps: 40\n");

        var error = Assert.Throws<RecipeException>(() => RecipeFile.Load(yamlInJson));

        Assert.StartsWith($"{yamlInJson}: not valid JSON at line 1", error.Message);
        Assert.True(RecipeFile.IsYaml("a.YAML"));
        Assert.False(RecipeFile.IsYaml("a.json"));
        Assert.True(RecipeFile.HasRecipeExtension("dir/a.yml"));
        Assert.False(RecipeFile.HasRecipeExtension("wgangp8g"));
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        string missing = Path.Combine(_folder, "missing.yaml");

        var error = Assert.Throws<RecipeException>(() => RecipeFile.Load(missing));

        Assert.Equal($"recipe file '{missing}' not found", error.Message);
    }
}
