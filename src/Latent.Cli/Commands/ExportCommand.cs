using System.Globalization;
using Latent.Data.Images;
using Latent.Models;
using Latent.Recipes;
using Latent.Serialization;
using static TorchSharp.torch;

namespace Latent.Cli.Commands;

/// <summary><c>latent export</c>: writes the weights of a trained run's network as a safetensors file, for PyTorch and other tools.</summary>
internal static class ExportCommand
{
    public const string Help = """
        latent export <run> [--format safetensors] [--out FILE] [--network NAME] [--data-dir DIR]

        Writes the weights of the network that generates on its own: a GAN's EMA generator
        when it has one, else its generator; an autoencoder's or VAE's decoder. The file is
        safetensors: the network's state dict (parameters and BatchNorm statistics) under its
        Latent names (layers.linear0.weight, ...), with metadata saying how to rebuild it
        (recipe, family, network, architecture, latent dim, data shape, the whole recipe).

        In PyTorch, a module with the same structure and names loads it with
          module.load_state_dict(safetensors.torch.load_file(FILE))

        Options:
          --format F      safetensors (the default and, for now, the only format)
          --out FILE      where to write it (default: <run>/export/<network>.safetensors)
          --network NAME  another of the run's networks, such as discriminator or encoder
          --data-dir DIR  where the data sets are installed (see latent data --help)

        Examples:
          latent export runs/wgangp8g
          latent export runs/mnist-vae-mlp --network encoder --out encoder.safetensors
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var arguments = Arguments.Parse("export", args, ["--format", "--out", "--network", "--data-dir"], []);
        string folder = arguments.Single("run folder");
        string format = arguments.Value("--format") ?? "safetensors";
        if (format != "safetensors")
            throw new UsageException($"export: --format {format}: unknown format; expected safetensors");
        string? chosenFile = arguments.Value("--out");
        if (chosenFile is not null && Directory.Exists(chosenFile))
            throw new UsageException($"export: --out {chosenFile}: is a folder; expected a file path such as {Path.Combine(chosenFile, "generator.safetensors")}");

        using var run = RecipeRunner.Load(folder, new DataStore(arguments.Value("--data-dir")));
        var networks = run.Model.Networks;
        string name = arguments.Value("--network") ?? DefaultNetwork(networks)
            ?? throw new UsageException($"export: run '{folder}' has no generator or decoder; choose one of its networks with --network: {string.Join(", ", networks.Keys)}");
        if (!networks.TryGetValue(name, out var network))
            throw new UsageException($"export: --network {name}: run '{folder}' has no such network; expected one of {string.Join(", ", networks.Keys)}");

        string file = chosenFile ?? Path.Combine(folder, "export", name + ".safetensors");
        ImageOutput.PrepareFolder(file);
        ModuleWeights.Save(network, file, Metadata(run, name, network));

        int tensors = network.state_dict().Count;
        long parameters = network.parameters().Sum(p => p.numel());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {name} of {run.Recipe.Name} ({network.GetType().Name}, {tensors} tensors, {parameters:N0} parameters) to {file}"));
        return ExitCodes.Success;
    }

    /// <summary>The network that makes examples alone: the EMA generator, the generator, or the decoder.</summary>
    private static string? DefaultNetwork(IReadOnlyDictionary<string, nn.Module> networks) =>
        new[] { "generator_ema", "generator", "decoder" }.FirstOrDefault(networks.ContainsKey);

    /// <summary>What a PyTorch user needs to rebuild the network and feed it: where it came from, its inputs and outputs, and the whole recipe.</summary>
    private static Dictionary<string, string> Metadata(BuiltRecipe run, string name, nn.Module network)
    {
        var recipe = run.Recipe;
        var shape = DataShape.Of(run.Data);
        var metadata = new Dictionary<string, string>
        {
            ["latent_version"] = typeof(Recipe).Assembly.GetName().Version?.ToString() ?? "unknown",
            ["recipe"] = recipe.Name,
            ["family"] = recipe.Family,
            ["network"] = name,
            ["architecture"] = network.GetType().Name,
            ["data_shape"] = shape.IsImage ? $"[{shape.Channels}, {shape.Height}, {shape.Width}]" : $"[{shape.Features}]",
            ["recipe_json"] = RecipeJson.Serialize(recipe),
        };
        int? latentDim = run.Model switch
        {
            ILatentModel latent => latent.LatentDim,
            Autoencoder => recipe.Autoencoder.CodeDim,
            _ => null,
        };
        if (latentDim is { } dim)
            metadata["latent_dim"] = dim.ToString(CultureInfo.InvariantCulture);
        if (run.Model is ILatentModel { Classes: > 0 } conditional)
            metadata["classes"] = conditional.Classes.ToString(CultureInfo.InvariantCulture);
        if (run.Data is ImageData images)
            metadata["image_range"] = string.Create(CultureInfo.InvariantCulture, $"[{images.Preprocessing.Low}, {images.Preprocessing.High}]");
        return metadata;
    }
}
