using Latent.Models;
using static TorchSharp.torch;

namespace Latent.Training;

/// <summary>
/// A copy of everything a training step changes in a model: every network's parameters and buffers, every optimizer's
/// state, and the model's counters. <see cref="Restore"/> undoes a step (the <see cref="NonFinitePolicy.Skip"/> policy).
/// </summary>
internal sealed class ModelSnapshot : IDisposable
{
    private readonly IGenerativeModel _model;
    private readonly List<(Tensor Live, Tensor Copy)> _tensors = [];
    private readonly Dictionary<string, byte[]> _optimizers = [];
    private readonly IReadOnlyDictionary<string, long>? _counters;

    public ModelSnapshot(IGenerativeModel model)
    {
        _model = model;
        // The copies outlive the scope; the scope frees the intermediate views.
        using (NewDisposeScope())
        using (no_grad())
        {
            foreach (var network in model.Networks.Values)
            {
                foreach (var (_, parameter) in network.named_parameters())
                    _tensors.Add((parameter, parameter.detach().clone().DetachFromDisposeScope()));
                foreach (var (_, buffer) in network.named_buffers())
                    _tensors.Add((buffer, buffer.detach().clone().DetachFromDisposeScope()));
            }
        }
        foreach (var (name, optimizer) in model.Optimizers)
        {
            using var bytes = new MemoryStream();
            using (var writer = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true))
                ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
            _optimizers[name] = bytes.ToArray();
        }
        _counters = (model as ITrainingState)?.CaptureState();
    }

    /// <summary>Puts the model back as it was when the snapshot was taken.</summary>
    public void Restore()
    {
        using (no_grad())
        {
            foreach (var (live, copy) in _tensors)
                live.copy_(copy);
        }
        foreach (var (name, optimizer) in _model.Optimizers)
        {
            using var reader = new BinaryReader(new MemoryStream(_optimizers[name]));
            ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(reader);
        }
        if (_counters is not null)
            ((ITrainingState)_model).RestoreState(_counters);
    }

    public void Dispose()
    {
        foreach (var (_, copy) in _tensors)
            copy.Dispose();
        _tensors.Clear();
    }
}
