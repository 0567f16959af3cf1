namespace Latent.Recipes;

/// <summary>Recipe files by path: JSON (<c>.json</c>) or YAML (<c>.yaml</c>, <c>.yml</c>), chosen by the extension.</summary>
public static class RecipeFile
{
    /// <summary>The extensions of recipe files.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".json", ".yaml", ".yml"];

    /// <summary>Whether <paramref name="path"/> ends in a recipe file's extension (any case).</summary>
    public static bool HasRecipeExtension(string path) =>
        Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="path"/> is read as YAML: it ends in <c>.yaml</c> or <c>.yml</c>; anything else is read as JSON.</summary>
    public static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the recipe file at <paramref name="path"/>, applies <paramref name="overrides"/> and checks keys and types;
    /// a recipe without a name is named after its file.
    /// </summary>
    /// <param name="path">A <c>.json</c>, <c>.yaml</c> or <c>.yml</c> file.</param>
    /// <param name="overrides"><c>path=value</c> assignments (the CLI's <c>--set</c>), applied the same way to either format.</param>
    /// <exception cref="RecipeException">The file is missing or unreadable, malformed, or holds an unknown key or a value of the wrong type.</exception>
    public static Recipe Load(string path, IEnumerable<string>? overrides = null)
    {
        if (!File.Exists(path))
            throw new RecipeException($"recipe file '{path}' not found");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException($"recipe file '{path}' cannot be read: {e.Message}", e);
        }
        var recipe = IsYaml(path) ? RecipeYaml.Parse(text, path, overrides) : RecipeJson.Parse(text, path, overrides);
        return recipe.Name == new Recipe().Name ? recipe with { Name = Path.GetFileNameWithoutExtension(path) } : recipe;
    }
}
