using System.Text.Json;
using Latent.Models;
using static TorchSharp.torch;

namespace Latent.Training;

/// <summary>
/// Saves and loads a model's networks and optimizer states in a folder: <c>NAME.weights</c> per network
/// (TorchSharp's state-dict format, keyed by parameter names), <c>NAME.optimizer</c> per optimizer, and
/// <c>state.json</c> for a model with <see cref="ITrainingState"/> (the VAE's step count).
/// </summary>
/// <remarks>Each file is written to a temporary name and renamed, so an interrupted save leaves the previous file intact.</remarks>
public static class Checkpoint
{
    /// <summary>Writes every network and optimizer of <paramref name="model"/> into <paramref name="folder"/>.</summary>
    public static void Save(IGenerativeModel model, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, network) in model.Networks)
            WriteAtomically(Path.Combine(folder, name + ".weights"), path => network.save(path));
        foreach (var (name, optimizer) in model.Optimizers)
        {
            if (optimizer is not TorchSharp.Modules.OptimizerHelper helper)
                throw new NotSupportedException($"optimizer '{name}' ({optimizer.GetType().Name}) cannot save its state");
            WriteAtomically(Path.Combine(folder, name + ".optimizer"), path => helper.save_state_dict(path));
        }
        if (model is ITrainingState stateful)
            WriteAtomically(Path.Combine(folder, StateFile), path => File.WriteAllText(path, JsonSerializer.Serialize(stateful.CaptureState())));
    }

    private const string StateFile = "state.json";

    /// <summary>Loads the networks (and, when <paramref name="withOptimizers"/>, the optimizer states) saved by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">A network or optimizer file is missing from <paramref name="folder"/>.</exception>
    /// <exception cref="InvalidDataException">A file does not match the model (other names or shapes).</exception>
    public static void Load(IGenerativeModel model, string folder, bool withOptimizers = false)
    {
        foreach (var (name, network) in model.Networks)
        {
            string path = Path.Combine(folder, name + ".weights");
            if (!File.Exists(path))
                throw new FileNotFoundException($"checkpoint {folder} has no weights for network '{name}' (expected {path})", path);
            try
            {
                network.load(path);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
            {
                throw new InvalidDataException($"{path} does not match network '{name}' of this model: {e.Message}", e);
            }
        }
        if (model is ITrainingState stateful)
        {
            string path = Path.Combine(folder, StateFile);
            if (!File.Exists(path))
                throw new FileNotFoundException($"checkpoint {folder} has no {StateFile} for this {model.GetType().Name} (expected {path})", path);
            try
            {
                stateful.RestoreState(JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(path))
                                      ?? throw new InvalidDataException($"{path} is empty"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path} is not a state file: {e.Message}", e);
            }
        }
        if (!withOptimizers)
            return;
        foreach (var (name, optimizer) in model.Optimizers)
        {
            string path = Path.Combine(folder, name + ".optimizer");
            if (!File.Exists(path))
                throw new FileNotFoundException($"checkpoint {folder} has no state for optimizer '{name}' (expected {path})", path);
            ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(path);
        }
    }

    private static void WriteAtomically(string path, Action<string> write)
    {
        string temporary = path + ".tmp";
        write(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
