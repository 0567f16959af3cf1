using System.Text.Json.Nodes;
using Latent.Data.Images;
using Latent.Models;
using Latent.Recipes;
using Latent.Runtime;
using Latent.Studio.Http;
using Latent.Studio.Runs;
using static TorchSharp.torch;

namespace Latent.Studio.Walker;

/// <summary>
/// The latent space walker: a finished image GAN or VAE run, loaded once, decodes the point at fraction t on the path
/// between two latent points (each a seed's random code, or for a VAE the mean code of test images of a class), on the
/// straight line or the great circle (<see cref="LatentSpace"/>).
/// </summary>
/// <remarks>
/// Loaded runs are kept (the last two used) and only one request decodes at a time: the models are small and a decode
/// takes milliseconds, so a lock is simpler than a pool.
/// </remarks>
internal sealed class LatentWalker(RunsRoot root, string? dataDirectory) : IDisposable
{
    private const int KeptRuns = 2;
    private const int CodesPerClass = 100;
    private readonly Lock _lock = new();
    private readonly List<(string Name, BuiltRecipe Run)> _loaded = [];

    /// <summary>The runs the walker can open: finished GAN and VAE runs on images.</summary>
    public JsonArray Models()
    {
        var models = new JsonArray();
        foreach (string name in root.RunNames())
        {
            string folder = root.Folder(name)!;
            bool hasWeights = new Latent.Training.CheckpointHistory(Path.Combine(folder, RunFolder.CheckpointsFolder)).Latest is not null;
            if (RunFiles.ReadJson(Path.Combine(folder, "recipe.json")) is not JsonObject recipe || !hasWeights)
                continue;
            string? family = recipe["family"]?.GetValue<string>();
            string? data = recipe["data"]?["kind"]?.GetValue<string>();
            if (family is not ("gan" or "vae") || data is not ("mnist" or "fashion-mnist" or "idx"))
                continue;
            var section = recipe[family];
            models.Add(new JsonObject
            {
                ["name"] = name,
                ["family"] = family,
                ["data"] = data,
                ["latent_dim"] = section?["latent_dim"]?.DeepClone(),
                ["conditional"] = section?["conditional"]?.DeepClone() ?? false,
            });
        }
        return models;
    }

    /// <summary>Decodes one point of the walk; see the class remarks for the parameters.</summary>
    public JsonObject Decode(Parameters query)
    {
        string name = query.Text("run", 255) ?? throw new BadParameterException("run: missing; expected the name of a finished image GAN or VAE run");
        string from = query.Text("a", 40) ?? "seed:1";
        string to = query.Text("b", 40) ?? "seed:2";
        double t = query.Number("t", 0, 1, 0.5);
        bool spherical = query.Choice("path", ["linear", "spherical"], "spherical") == "spherical";
        int label = query.Whole("label", 0, 1000, 0);
        lock (_lock)
        {
            var run = Load(name);
            if (run.Model is not ILatentModel model || run.Data is not ImageData images)
                throw new BadParameterException($"run '{name}' is a {run.Recipe.Family} on {run.Recipe.Data.Kind}; the walker needs an image GAN or VAE");
            if (model.Classes > 0 && label >= model.Classes)
                throw new BadParameterException($"label: {label} is out of range; run '{name}' has classes 0 to {model.Classes - 1}");
            using var scope = NewDisposeScope();
            var a = Code(from, "a", model, images);
            var b = Code(to, "b", model, images);
            var fraction = tensor(new[] { (float)t }, [1, 1]).to(model.Device);
            var z = spherical ? LatentSpace.Slerp(a, b, fraction) : a + fraction * (b - a); // (1, latent)
            var labels = model.Classes > 0 ? tensor(new long[] { label }).to(model.Device) : null;
            var image = images.ToStoredImages(model.Decode(z, labels)); // (1, C, H, W) in [0, 1]
            var bytes = (image * 255).round().clamp(0, 255).to(ScalarType.Byte).flatten().data<byte>().ToArray();
            return new JsonObject
            {
                ["run"] = name,
                ["t"] = t,
                ["path"] = spherical ? "spherical" : "linear",
                ["channels"] = images.Channels,
                ["height"] = images.Train.Height,
                ["width"] = images.Train.Width,
                ["pixels"] = new JsonArray([.. bytes.Select(v => (JsonNode?)JsonValue.Create((int)v))]),
            };
        }
    }

    /// <summary>A latent point named <c>seed:N</c> (a code drawn from N(0, I) with seed N) or <c>class:K</c> (VAE: mean code of test images of class K).</summary>
    private static Tensor Code(string name, string parameter, ILatentModel model, ImageData images)
    {
        string[] parts = name.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number))
            throw new BadParameterException($"{parameter}: '{name}'; expected seed:N (N ≥ 0) or class:K");
        switch (parts[0])
        {
            case "seed":
                using (var rng = SeededRandom.Derive(number, RandomStream.Sampling))
                    return randn([1, model.LatentDim], generator: rng).to(model.Device);
            case "class" when model is VariationalAutoencoder vae && vae.Classes == 0:
                if (number >= images.Classes)
                    throw new BadParameterException($"{parameter}: class {number} is out of range; expected 0 to {images.Classes - 1}");
                var set = images.Test ?? images.Train;
                var index = set.Labels.eq(number).nonzero().reshape(-1);
                if (index.shape[0] == 0)
                    throw new BadParameterException($"{parameter}: no image of class {number} to encode");
                index = index.slice(0, 0, Math.Min(CodesPerClass, index.shape[0]), 1);
                var x = images.Preprocessing.Apply(set.Pixels.index_select(0, index)).to(model.Device);
                return LatentSpace.Mean(vae.Encode(x));
            case "class":
                throw new BadParameterException($"{parameter}: class endpoints need an unconditional VAE (they are its mean codes of test images); for this run pick seeds" +
                                                (model.Classes > 0 ? " and a label" : ""));
            default:
                throw new BadParameterException($"{parameter}: '{name}'; expected seed:N or class:K");
        }
    }

    private BuiltRecipe Load(string name)
    {
        int at = _loaded.FindIndex(entry => entry.Name == name);
        if (at >= 0)
        {
            var entry = _loaded[at];
            _loaded.RemoveAt(at);
            _loaded.Add(entry); // most recently used last
            return entry.Run;
        }
        string folder = root.Folder(name) ?? throw new RunNotFoundException(name);
        BuiltRecipe run;
        try
        {
            run = RecipeBuilds.Load(folder, new DataStore(dataDirectory));
        }
        catch (Exception e) when (e is RecipeException or DataNotInstalledException or FileNotFoundException or InvalidDataException)
        {
            throw new BadParameterException($"run '{name}' cannot be loaded: {e.Message}");
        }
        _loaded.Add((name, run));
        if (_loaded.Count > KeptRuns)
        {
            _loaded[0].Run.Dispose();
            _loaded.RemoveAt(0);
        }
        return run;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (_, run) in _loaded)
                run.Dispose();
            _loaded.Clear();
        }
    }
}
