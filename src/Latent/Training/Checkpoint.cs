using System.Text.Json;
using Latent.Models;
using Latent.Serialization;
using static TorchSharp.torch;

namespace Latent.Training;

/// <summary>
/// Saves and loads one checkpoint folder: <c>NAME.safetensors</c> per network (keyed by the network's state-dict names,
/// readable by PyTorch's <c>safetensors</c>), <c>NAME.optimizer</c> per optimizer (TorchSharp's format: moments and step
/// counts), <c>state.safetensors</c> with everything else an exact resume needs (the model's counters, and the random
/// streams and batch position the caller hands in), and <c>checkpoint.json</c> with the step and its figures.
/// </summary>
/// <remarks>
/// Each file is written to a temporary name and renamed. <see cref="CheckpointHistory"/> stages whole folders the same way,
/// so a crash at any instant leaves every earlier checkpoint whole.
/// </remarks>
public static class Checkpoint
{
    /// <summary>The step and figures of the checkpoint.</summary>
    public const string InfoFile = "checkpoint.json";

    /// <summary>Model counters, random streams and the batch position, as named tensors.</summary>
    public const string StateFile = "state.safetensors";

    private const string WeightsExtension = ".safetensors";
    private const string OptimizerExtension = ".optimizer";
    private const string ModelStatePrefix = "model.";

    /// <summary>Writes every network and optimizer of <paramref name="model"/> into <paramref name="folder"/>.</summary>
    /// <param name="model">The model; its networks are saved as they are (training or evaluation mode alike).</param>
    /// <param name="folder">Created if missing; files of the same names are replaced.</param>
    /// <param name="info">The step and figures; when null, step 0 and no figures.</param>
    /// <param name="state">More state to keep, by name (random streams, batch position); <c>model.</c> names are reserved.</param>
    public static void Save(IGenerativeModel model, string folder, CheckpointInfo? info = null, IReadOnlyDictionary<string, Tensor>? state = null)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, network) in model.Networks)
            ModuleWeights.Save(network, Path.Combine(folder, name + WeightsExtension));
        foreach (var (name, optimizer) in model.Optimizers)
        {
            if (optimizer is not TorchSharp.Modules.OptimizerHelper helper)
                throw new NotSupportedException($"optimizer '{name}' ({optimizer.GetType().Name}) cannot save its state");
            Imaging.AtomicFile.Write(Path.Combine(folder, name + OptimizerExtension), stream =>
            {
                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                helper.save_state_dict(writer);
            });
        }

        using var scope = NewDisposeScope();
        var tensors = new List<KeyValuePair<string, Tensor>>();
        if (model is ITrainingState stateful)
            tensors.AddRange(stateful.CaptureState().Select(p => KeyValuePair.Create(ModelStatePrefix + p.Key, tensor(p.Value))));
        foreach (var (name, value) in state ?? new Dictionary<string, Tensor>())
        {
            if (name.StartsWith(ModelStatePrefix, StringComparison.Ordinal))
                throw new ArgumentException($"state name '{name}' is reserved for the model's own state", nameof(state));
            tensors.Add(KeyValuePair.Create(name, value));
        }
        SafeTensorsFile.Write(Path.Combine(folder, StateFile), tensors);
        Imaging.AtomicFile.Write(Path.Combine(folder, InfoFile), stream => JsonSerializer.Serialize(stream, info ?? new CheckpointInfo(0, new Dictionary<string, double>()), InfoJson));
    }

    private static readonly JsonSerializerOptions InfoJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// Loads the networks, the model's counters and (when <paramref name="withOptimizers"/>) the optimizer states saved by
    /// <see cref="Save"/>. Each network's file is checked whole before any of its weights is copied; a model that fails
    /// to load part-way is to be thrown away, not trained.
    /// </summary>
    /// <returns>The checkpoint's step and figures.</returns>
    /// <exception cref="FileNotFoundException">A network, optimizer or state file is missing from <paramref name="folder"/>.</exception>
    /// <exception cref="InvalidDataException">A file does not match the model (other names, shapes or dtypes), or is malformed.</exception>
    public static CheckpointInfo Load(IGenerativeModel model, string folder, bool withOptimizers = false)
    {
        foreach (var (name, network) in model.Networks)
        {
            string path = Required(folder, name + WeightsExtension, $"weights for network '{name}'");
            try
            {
                ModuleWeights.Load(network, path);
            }
            catch (SafeTensorsException e)
            {
                throw new InvalidDataException($"{path} does not match network '{name}' of this model: {e.Message}", e);
            }
        }
        var info = ReadInfo(folder);
        if (model is ITrainingState stateful)
        {
            using var scope = NewDisposeScope();
            var saved = ReadState(folder);
            stateful.RestoreState(saved.Where(p => p.Key.StartsWith(ModelStatePrefix, StringComparison.Ordinal))
                                       .ToDictionary(p => p.Key[ModelStatePrefix.Length..], p => p.Value.item<long>()));
        }
        if (withOptimizers)
        {
            foreach (var (name, optimizer) in model.Optimizers)
            {
                string path = Required(folder, name + OptimizerExtension, $"the state of optimizer '{name}'");
                try
                {
                    ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(path);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
                {
                    throw new InvalidDataException($"{path} does not match optimizer '{name}' of this model: {e.Message}", e);
                }
            }
        }
        return info;
    }

    /// <summary>
    /// The extra state saved with the checkpoint (the <c>state</c> argument of <see cref="Save"/>), as CPU tensors in the
    /// caller's dispose scope; the model's own counters are left out.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no state file.</exception>
    public static IReadOnlyDictionary<string, Tensor> LoadState(string folder) =>
        ReadState(folder).Where(p => !p.Key.StartsWith(ModelStatePrefix, StringComparison.Ordinal)).ToDictionary();

    /// <summary>The step and figures of the checkpoint in <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder has no <see cref="InfoFile"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint description.</exception>
    public static CheckpointInfo ReadInfo(string folder)
    {
        string path = Required(folder, InfoFile, "description");
        try
        {
            var info = JsonSerializer.Deserialize<CheckpointInfo>(File.ReadAllText(path), InfoJson);
            return info is { Step: >= 0, Figures: not null } ? info : throw new InvalidDataException($"{path}: expected {{\"step\": N ≥ 0, \"figures\": {{…}}}}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a checkpoint description: {e.Message}", e);
        }
    }

    private static Dictionary<string, Tensor> ReadState(string folder)
    {
        using var file = SafeTensorsFile.Open(Required(folder, StateFile, "state"));
        return file.Tensors.ToDictionary(t => t.Name, t => file.Read(t.Name));
    }

    private static string Required(string folder, string file, string what)
    {
        string path = Path.Combine(folder, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"checkpoint {folder} has no {what} (expected {path})", path);
    }
}

/// <summary>What a checkpoint holds besides tensors: the step it was taken after, and that step's figures.</summary>
/// <param name="Step">Training steps done when the checkpoint was written.</param>
/// <param name="Figures">The figures of that step (losses, diagnostics), and of the evaluation at that step if there was one.</param>
public sealed record CheckpointInfo(long Step, IReadOnlyDictionary<string, double> Figures);
