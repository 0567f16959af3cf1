using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Serialization;

/// <summary>
/// Saves a module's state dict as a safetensors file and loads one back: the weights of a Latent net in the format
/// PyTorch's <c>safetensors.torch.load_file</c> and <c>load_state_dict</c> read.
/// </summary>
/// <remarks>
/// <para>The file holds what <c>module.state_dict()</c> holds: every parameter and persistent buffer (BatchNorm's
/// <c>running_mean</c>, <c>running_var</c> and int64 <c>num_batches_tracked</c>, spectral norm's vectors), under the same
/// names (<c>layers.linear0.weight</c>) and in the same dtypes, so a PyTorch module with the same structure loads it as is.
/// TorchSharp's state dict leaves out non-persistent buffers, as PyTorch's does.</para>
/// <para>A save and load give back the same bits. Loading is all or nothing: the file is checked against the module and
/// every tensor read before the first one is copied in.</para>
/// </remarks>
/// <example>
/// <code>
/// ModuleWeights.Save(generator, "generator.safetensors", new Dictionary&lt;string, string&gt; { ["latent_dim"] = "2" });
/// ModuleWeights.Load(sameArchitecture, "generator.safetensors");
/// </code>
/// </example>
public static class ModuleWeights
{
    /// <summary>The metadata every saved file carries unless the caller gives another value: PyTorch's tensor layout.</summary>
    private static readonly KeyValuePair<string, string> Format = new("format", "pt");

    /// <summary>Writes <paramref name="module"/>'s parameters and persistent buffers to <paramref name="path"/> (a temporary file renamed over it).</summary>
    /// <param name="module">The module; its tensors are copied, not changed.</param>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="metadata">Strings for the header's <c>__metadata__</c>, with <c>format</c> = <c>pt</c> (the mark PyTorch
    /// tools look for) added unless given.</param>
    /// <exception cref="ArgumentException">A tensor has a dtype the format does not hold (complex, for one).</exception>
    public static void Save(nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var all = new Dictionary<string, string>(StringComparer.Ordinal) { [Format.Key] = Format.Value };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            all[key] = value;
        SafeTensorsFile.Write(path, module.state_dict(), all);
    }

    /// <summary>Copies the tensors of <paramref name="path"/> into <paramref name="module"/>'s parameters and buffers, without recording gradients.</summary>
    /// <param name="module">The module to fill; its tensors keep their device, only their values change.</param>
    /// <param name="path">A file with exactly the module's state-dict names, shapes and dtypes.</param>
    /// <exception cref="SafeTensorsException">The file is damaged, or does not match the module: names missing or unexpected
    /// (the first few listed), or a tensor of another shape or dtype (named, with what the module expects). The module is then unchanged.</exception>
    public static void Load(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var file = SafeTensorsFile.Open(path);
        var state = module.state_dict();
        var stored = file.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);

        var missing = state.Keys.Where(name => !stored.ContainsKey(name)).ToList();
        var unexpected = file.Tensors.Select(t => t.Name).Where(name => !state.ContainsKey(name)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0)
                problems.Add($"it lacks {Count(missing.Count)} the module has{SafeTensorsFile.Listing(missing, ": ")}");
            if (unexpected.Count > 0)
                problems.Add($"it holds {Count(unexpected.Count)} the module does not have{SafeTensorsFile.Listing(unexpected, ": ")}");
            throw new SafeTensorsException($"{path}: does not match the {module.GetType().Name} it is loaded into: {string.Join("; ", problems)}");
        }
        foreach (var (name, target) in state)
        {
            var info = stored[name];
            string? expected = SafeTensorsFile.DTypeName(target.dtype);
            if (info.DType != expected)
                throw new SafeTensorsException($"{path}: tensor '{name}' has dtype {info.DType}; expected {expected ?? target.dtype.ToString()} ({target.dtype}, as in the module)");
            if (!info.Shape.SequenceEqual(target.shape))
                throw new SafeTensorsException($"{path}: tensor '{name}' has shape {Shape(info.Shape)}; expected {Shape(target.shape)}");
        }

        using var scope = NewDisposeScope();
        // Every value is read (and checked) before any is copied: a file that fails part-way leaves the module as it was.
        var values = state.Select(item => (Target: item.Value, Value: file.Read(item.Key))).ToList();
        using (no_grad())
        {
            foreach (var (target, value) in values)
                target.copy_(value);
        }
    }

    private static string Count(int tensors) => tensors == 1 ? "1 tensor" : $"{tensors} tensors";

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";
}
