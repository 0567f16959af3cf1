namespace Latent.Training;

/// <summary>
/// The figures of one training step, by name (<c>d_loss</c>, <c>g_loss</c>, <c>d_real</c>, <c>recon</c>, …), in the order recorded.
/// </summary>
/// <remarks>Values are plain doubles read once from the step's tensors, so they outlive the step's dispose scope.</remarks>
public sealed class StepMetrics
{
    private readonly List<KeyValuePair<string, double>> _values = [];

    /// <summary>
    /// Reads scalar tensors into figures with one copy from the device: each read of a value is a
    /// synchronization, so a step reads all of its figures at once.
    /// </summary>
    public static StepMetrics Read(params (string Name, TorchSharp.torch.Tensor Value)[] figures)
    {
        var metrics = new StepMetrics();
        if (figures.Length == 0)
            return metrics;
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        // One op gathers the figures (stack of 0-d scalars), one copy reads them: a tiny step pays for few ops here.
        var dtype = figures[0].Value.dtype;
        bool sameType = true, scalars = true;
        foreach (var (_, value) in figures)
        {
            sameType &= value.dtype == dtype;
            scalars &= value.dim() == 0;
        }
        // Figures share the model's dtype; mixed dtypes (a float64 figure) are promoted before stacking.
        var parts = new TorchSharp.torch.Tensor[figures.Length];
        for (int i = 0; i < figures.Length; i++)
        {
            var value = sameType ? figures[i].Value : figures[i].Value.to(TorchSharp.torch.float64);
            parts[i] = scalars ? value : value.reshape(1);
        }
        var stacked = scalars ? TorchSharp.torch.stack(parts) : TorchSharp.torch.cat(parts, 0);
        if (stacked.device_type != TorchSharp.DeviceType.CPU)
            stacked = stacked.cpu();
        if (stacked.dtype == TorchSharp.torch.float32)
        {
            var values = stacked.data<float>();
            for (int i = 0; i < figures.Length; i++)
                metrics.Add(figures[i].Name, values[i]);
        }
        else
        {
            var values = (stacked.dtype == TorchSharp.torch.float64 ? stacked : stacked.to(TorchSharp.torch.float64)).data<double>();
            for (int i = 0; i < figures.Length; i++)
                metrics.Add(figures[i].Name, values[i]);
        }
        return metrics;
    }

    /// <summary>The figures in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Values => _values;

    /// <summary>Adds or replaces a figure.</summary>
    public StepMetrics Add(string name, double value)
    {
        for (int i = 0; i < _values.Count; i++)
        {
            if (_values[i].Key == name)
            {
                _values[i] = new(name, value);
                return this;
            }
        }
        _values.Add(new(name, value));
        return this;
    }

    /// <summary>The figure of that name.</summary>
    /// <exception cref="KeyNotFoundException">No figure has that name.</exception>
    public double this[string name] =>
        TryGet(name, out double value) ? value : throw new KeyNotFoundException($"no metric '{name}' in this step; recorded: {string.Join(", ", _values.Select(p => p.Key))}");

    /// <summary>Looks up a figure by name.</summary>
    public bool TryGet(string name, out double value)
    {
        foreach (var pair in _values)
        {
            if (pair.Key == name)
            {
                value = pair.Value;
                return true;
            }
        }
        value = double.NaN;
        return false;
    }
}
