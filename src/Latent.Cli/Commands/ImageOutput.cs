using Latent.Data.Images;
using Latent.Models;
using Latent.Recipes;

namespace Latent.Cli.Commands;

/// <summary>What the image commands share: the PNG they write and the kind of run they need.</summary>
internal static class ImageOutput
{
    /// <summary>The <c>--out</c> file, which must end in .png.</summary>
    public static string RequirePng(Arguments arguments, string command)
    {
        string file = arguments.Value("--out") ?? throw new UsageException($"{command}: --out FILE.png is required");
        if (!file.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"{command}: --out {file}: expected a file ending in .png");
        return file;
    }

    /// <summary>The run's latent model and image data, or a usage error saying what kind of run is needed.</summary>
    public static (ILatentModel Model, ImageData Images) RequireLatentImageModel(BuiltRecipe run, string folder, string command)
    {
        if (run.Data is not ImageData images)
            throw new UsageException($"{command}: run '{folder}' trained on {run.Recipe.Data.Kind}, not on images; expected an image GAN or VAE run");
        if (run.Model is not ILatentModel model)
            throw new UsageException($"{command}: run '{folder}' is an {run.Recipe.Family}, which has no latent prior to walk; use a GAN or VAE run");
        return (model, images);
    }

    /// <summary>Creates the folder the file goes into.</summary>
    public static void PrepareFolder(string file)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (directory is not null)
            Directory.CreateDirectory(directory);
    }
}
