using Latent.Recipes;

namespace Latent.Cli.Commands;

/// <summary><c>latent presets</c>: lists the named recipes.</summary>
internal static class PresetsCommand
{
    public const string Help = """
        latent presets [--json NAME | --yaml NAME]

        Lists the presets: every toy workload as NAME-seed (the tutorial's recipe as written)
        and NAME (Latent's own recipe at the same size and step budget).

        Options:
          --json NAME   print that preset's full recipe as JSON (a starting point for your own)
          --yaml NAME   the same as YAML; latent train reads .json, .yaml and .yml recipes

        Examples:
          latent presets
          latent presets --json wgangp8g > my-recipe.json
          latent presets --yaml wgangp8g > my-recipe.yaml
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var arguments = Arguments.Parse("presets", args, ["--json", "--yaml"], []);
        if (arguments.Positionals.Count > 0)
            throw new UsageException($"presets: unexpected argument '{arguments.Positionals[0]}'");
        if (arguments.Value("--json") is not null && arguments.Value("--yaml") is not null)
            throw new UsageException("presets: give --json or --yaml, not both");
        if (arguments.Value("--json") is { } name)
        {
            output.WriteLine(RecipeJson.Serialize(Presets.Get(name)));
            return ExitCodes.Success;
        }
        if (arguments.Value("--yaml") is { } yamlName)
        {
            output.Write(RecipeYaml.Serialize(Presets.Get(yamlName)));
            return ExitCodes.Success;
        }
        int width = Presets.Names.Max(n => n.Length);
        foreach (string preset in Presets.Names)
        {
            var recipe = Presets.Get(preset);
            output.WriteLine($"{preset.PadRight(width)}  {recipe.Family,-11} {recipe.Steps,6} steps  {recipe.Description}");
        }
        return ExitCodes.Success;
    }
}
