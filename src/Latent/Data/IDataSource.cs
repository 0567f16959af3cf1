using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Data;

/// <summary>
/// A source of training examples: a distribution to draw from, or a fixed set of points.
/// </summary>
/// <remarks>
/// Examples are float32 rows of <see cref="Dimension"/> values on the CPU. A distribution draws
/// <c>n</c> fresh examples on every call; a fixed set draws <c>n</c> distinct points in a random
/// order (all of them, shuffled, when <c>n</c> is its size).
/// </remarks>
public interface IDataSource
{
    /// <summary>Values per example (1 for a 1D distribution, 2 for the plane, 9 for 3x3 patterns).</summary>
    int Dimension { get; }

    /// <summary>Draws <paramref name="n"/> examples as an (n, <see cref="Dimension"/>) float32 tensor.</summary>
    /// <param name="n">At least 1; for a fixed set, at most its size.</param>
    /// <param name="rng">The data stream of the run (<see cref="Runtime.SeededRandom.Data"/>).</param>
    Tensor Sample(long n, Generator rng);
}
