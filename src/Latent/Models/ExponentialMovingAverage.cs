using Latent.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>
/// An exponential moving average of a network's weights: θ_shadow ← β·θ_shadow + (1 − β)·θ_online after each step.
/// </summary>
/// <remarks>
/// <para>Averaging the generator's weights over the last ~1/(1 − β) steps smooths the oscillation of adversarial
/// training; samples and metrics are taken from the shadow copy (Yazıcı et al. 2019; Karras et al. 2018 use β = 0.999).</para>
/// <para>The shadow is a second instance of the same architecture, a module, so it is saved and loaded like any network.
/// It is kept in evaluation mode with gradients off. Buffers (BatchNorm's running statistics, spectral-norm vectors)
/// are copied, not averaged. This object owns the shadow: disposing it disposes the shadow.</para>
/// </remarks>
public sealed class ExponentialMovingAverage : IDisposable
{
    private readonly nn.Module online;
    private readonly List<(Tensor Source, Tensor Target)> _parameters, _buffers;
    private readonly (Tensor Source, Tensor Target)? _packed;
    private readonly PackedParameters? _shadowPack;

    /// <summary>Starts the average at the online network's current weights.</summary>
    /// <param name="online">The network being trained.</param>
    /// <param name="shadow">A second instance of the same architecture; its weights are overwritten.</param>
    /// <param name="decay">β, in [0, 1); 0.999 by default. 0 makes the shadow a plain copy.</param>
    /// <exception cref="ArgumentException">The two networks differ in a parameter's or buffer's name or shape (named), or are the same object.</exception>
    public ExponentialMovingAverage(nn.Module online, nn.Module shadow, double decay = 0.999)
    {
        ArgumentNullException.ThrowIfNull(online);
        ArgumentNullException.ThrowIfNull(shadow);
        if (!(decay >= 0 && decay < 1))
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "the decay β must be in [0, 1)");
        if (ReferenceEquals(online, shadow))
            throw new ArgumentException("the shadow must be a separate instance of the online network's architecture, not the network itself", nameof(shadow));
        this.online = online;
        Shadow = shadow;
        Decay = decay;

        using (no_grad())
        {
            foreach (var (source, target) in Pair(online.named_parameters(), shadow.named_parameters(), "parameter"))
                target.copy_(source);
            foreach (var (source, target) in Pair(online.named_buffers(), shadow.named_buffers(), "buffer"))
                target.copy_(source);
        }
        foreach (var parameter in shadow.parameters())
            parameter.requires_grad_(false);
        shadow.eval();
        // Paired once by name: the networks' tensors keep their identity while training (loading copies into them).
        _parameters = Pair(online.named_parameters(), shadow.named_parameters(), "parameter");
        _buffers = Pair(online.named_buffers(), shadow.named_buffers(), "buffer");
        // A packed online network gets a shadow packed alike, so that the update is one mul_ and one add_.
        if (_parameters.Count > 0 && PackedParameters.Of((Parameter)_parameters[0].Source) is { } pack
            && pack.Members.SequenceEqual(_parameters.Select(pair => (Parameter)pair.Source)))
        {
            _shadowPack = PackedParameters.Pack(_parameters.Select(pair => (Parameter)pair.Target));
            // The flat update pairs element i of one pack with element i of the other: only where every pair of
            // parameters shares its memory layout (a kernel may be stored channels-last in one and not the other).
            if (_parameters.All(pair => pair.Source.stride().SequenceEqual(pair.Target.stride())))
                _packed = (pack.Flat, _shadowPack.Flat);
        }
    }

    /// <summary>The averaged network, in evaluation mode; use it for samples and metrics.</summary>
    public nn.Module Shadow { get; }

    /// <summary>β, the weight of the old average in each update.</summary>
    public double Decay { get; }

    /// <summary>Moves the shadow towards the online network: θ_s ← β·θ_s + (1 − β)·θ_o; buffers are copied.</summary>
    public void Update()
    {
        using var noGrad = no_grad();
        using Scalar decay = Decay, rate = 1 - Decay;
        if (_packed is var (flatSource, flatTarget))
            flatTarget.mul_(decay).add_(flatSource, rate);
        else
            foreach (var (source, target) in _parameters)
                target.mul_(decay).add_(source, rate);
        foreach (var (source, target) in _buffers)
            target.copy_(source);
    }

    /// <summary>Disposes the shadow network (and its packed parameters).</summary>
    public void Dispose()
    {
        _shadowPack?.Dispose();
        Shadow.Dispose();
    }

    /// <summary>Matches the online network's tensors with the shadow's by name, checking names and shapes.</summary>
    private static List<(Tensor Source, Tensor Target)> Pair<T>(IEnumerable<(string name, T tensor)> source, IEnumerable<(string name, T tensor)> target, string kind)
        where T : Tensor
    {
        var targets = target.ToDictionary(entry => entry.name, entry => (Tensor)entry.tensor);
        var pairs = new List<(Tensor, Tensor)>(targets.Count);
        foreach (var (name, tensor) in source)
        {
            if (!targets.Remove(name, out var match))
                throw new ArgumentException($"the shadow has no {kind} '{name}'; it must have the online network's architecture", "shadow");
            if (!match.shape.SequenceEqual(tensor.shape))
                throw new ArgumentException($"shadow {kind} '{name}' is [{string.Join(", ", match.shape)}], expected [{string.Join(", ", tensor.shape)}] from the online network", "shadow");
            pairs.Add((tensor, match));
        }
        if (targets.Count > 0)
            throw new ArgumentException($"the shadow has {kind}s the online network lacks: {string.Join(", ", targets.Keys)}", "shadow");
        return pairs;
    }
}
