using TorchSharp;

namespace Latent.Runtime;

/// <summary>
/// The random streams of one run, all derived from one seed: parameter initialization and dropout
/// (libtorch's global generator), the data, and the noise a model draws (latent codes, corruption).
/// </summary>
/// <remarks>
/// Separate streams keep a change in one (say, a larger batch of noise) from shifting the others,
/// and each stream's state can be saved and restored for an exact resume.
/// </remarks>
public sealed class SeededRandom : IDisposable
{
    /// <summary>Seeds libtorch's global generator and creates the data and noise streams.</summary>
    /// <param name="seed">Any non-negative integer; the same seed gives the same run.</param>
    public SeededRandom(long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        LatentRuntime.EnsureLoaded();
        Seed = seed;
        torch.manual_seed(seed);
        Data = Derive(seed, RandomStream.Data);
        Noise = Derive(seed, RandomStream.Noise);
    }

    /// <summary>A generator for one purpose, derived from <paramref name="seed"/>: the same seed and purpose give the same numbers.</summary>
    /// <remarks>Knuth's multiplicative hash spreads neighbouring seeds apart; the purpose's offset keeps streams of one seed apart.</remarks>
    public static torch.Generator Derive(long seed, RandomStream stream) =>
        new((ulong)seed * 2654435761UL + (ulong)stream);

    /// <summary>The seed all streams come from.</summary>
    public long Seed { get; }

    /// <summary>Draws batches from data distributions and shuffles datasets.</summary>
    public torch.Generator Data { get; }

    /// <summary>Draws latent codes, reparameterization noise, corruption and penalty interpolation weights.</summary>
    public torch.Generator Noise { get; }

    /// <summary>
    /// The state of every stream (libtorch's global generator as <c>global</c>, then <c>data</c> and <c>noise</c>) as byte
    /// tensors, for a checkpoint: restoring it with <see cref="RestoreState"/> continues each stream where it was.
    /// </summary>
    public IReadOnlyDictionary<string, torch.Tensor> CaptureState() => new Dictionary<string, torch.Tensor>
    {
        ["global"] = torch.get_rng_state(),
        ["data"] = Data.get_state(),
        ["noise"] = Noise.get_state(),
    };

    /// <summary>Puts every stream back to a state captured by <see cref="CaptureState"/>.</summary>
    /// <exception cref="InvalidDataException">A stream's state is missing or is not a generator state.</exception>
    public void RestoreState(IReadOnlyDictionary<string, torch.Tensor> state)
    {
        torch.set_rng_state(StreamState(state, "global"));
        Data.set_state(StreamState(state, "data"));
        Noise.set_state(StreamState(state, "noise"));
    }

    private static torch.Tensor StreamState(IReadOnlyDictionary<string, torch.Tensor> state, string name)
    {
        if (!state.TryGetValue(name, out var tensor))
            throw new InvalidDataException($"the saved random state has no '{name}' stream; expected global, data and noise");
        if (tensor.dtype != torch.uint8 || tensor.dim() != 1)
            throw new InvalidDataException($"the saved random state of the '{name}' stream is {tensor.dtype} of shape [{string.Join(", ", tensor.shape)}]; expected a 1-D byte tensor");
        return tensor;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Data.Dispose();
        Noise.Dispose();
    }
}
