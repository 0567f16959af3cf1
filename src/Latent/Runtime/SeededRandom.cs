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
        // Distinct odd offsets keep the streams apart for every seed.
        Data = new torch.Generator((ulong)seed * 2654435761UL + 1UL);
        Noise = new torch.Generator((ulong)seed * 2654435761UL + 7UL);
    }

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
