using System.Globalization;
using Latent.Data.Images;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Recipes;

/// <summary>
/// What a run is about to do, in a few lines (<c>latent train --verbose</c>): recipe, data, networks and their
/// parameter counts, device, threads and seed, and where its files go.
/// </summary>
public static class RunSummary
{
    /// <summary>The summary of <paramref name="built"/> training into <paramref name="folder"/>, one line per item.</summary>
    public static IReadOnlyList<string> Describe(BuiltRecipe built, string folder)
    {
        ArgumentNullException.ThrowIfNull(built);
        var recipe = built.Recipe;
        var lines = new List<string>
        {
            Invariant($"recipe: {recipe.Name}, {recipe.Family} on {recipe.Data.Kind}, {recipe.Steps:N0} steps of batch {recipe.BatchSize}, seed {recipe.Seed}"),
            built.Data is ImageData images
                ? Invariant($"data: {images.Train.Count:N0} training images of {images.Channels}×{images.Height}×{images.Width}, {images.Classes} classes") +
                  (images.Test is { } test ? Invariant($", {test.Count:N0} test images") : ", no test split")
                : Invariant($"data: {recipe.Data.Kind}, {built.Data.Dimension} values per example"),
        };
        foreach (var (name, network) in built.Model.Networks)
        {
            long parameters = network.parameters().Sum(p => p.numel());
            lines.Add(Invariant($"{name}: {parameters:N0} parameters"));
        }
        int threads = get_num_threads();
        lines.Add(Invariant($"device: {built.Device.type.ToString().ToLowerInvariant()}, {threads} libtorch thread{(threads == 1 ? "" : "s")}; native library {LatentRuntime.NativeDescription}"));
        lines.Add($"matrix products: {LatentRuntime.MklStatus}");
        lines.Add($"memory: {LatentRuntime.MallocStatus}");
        string every = recipe.Checkpoints.Every > 0 ? Invariant($"every {recipe.Checkpoints.Every:N0} steps and at the end") : "at the end";
        lines.Add($"run folder: {folder} ({RunFolder.RecipeFile}, {RunFolder.MetricsFile}, {RunFolder.CheckpointsFolder}/ {every}, the last {recipe.Checkpoints.KeepLast} kept)");
        if (recipe.Logging.Tensorboard)
            lines.Add($"tensorboard: {Path.Combine(folder, RunFolder.TensorBoardFolder)} (view with: tensorboard --logdir {(Path.GetDirectoryName(folder) is { Length: > 0 } parent ? parent : ".")})");
        return lines;
    }

    /// <summary>Writes <see cref="Describe"/>'s lines to <paramref name="output"/>; nothing when it is null.</summary>
    public static void Write(BuiltRecipe built, string folder, TextWriter? output)
    {
        if (output is null)
            return;
        foreach (string line in Describe(built, folder))
            output.WriteLine(line);
        output.Flush();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
