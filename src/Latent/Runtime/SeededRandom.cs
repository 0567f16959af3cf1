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

    /// <inheritdoc />
    public void Dispose()
    {
        Data.Dispose();
        Noise.Dispose();
    }
}
