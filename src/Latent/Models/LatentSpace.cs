using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>
/// Walks and arithmetic in a latent space (Radford et al. 2016, §6; White 2016, "Sampling Generative Networks"):
/// codes on the path between two points, and sums and differences of the mean codes of groups.
/// </summary>
/// <remarks>
/// Codes are (N, latent) tensors; decode them with <see cref="ILatentModel.Decode"/>. Under a Gaussian prior most
/// probability mass lies near the sphere of radius √latent, and a straight line between two codes cuts through the
/// low-density middle; the spherical path (slerp) stays at their norm, which is why it is the usual choice for GANs.
/// </remarks>
/// <example>
/// <code>
/// var z = randn(2, gan.LatentDim);
/// var strip = gan.Decode(LatentSpace.Interpolate(z[0], z[1], steps: 10, spherical: true));
/// var smilingMan = LatentSpace.Arithmetic([(smilingWomen, +1), (neutralWomen, -1), (neutralMen, +1)]);
/// </code>
/// </example>
public static class LatentSpace
{
    /// <summary>
    /// <paramref name="steps"/> codes from <paramref name="from"/> to <paramref name="to"/>, ends included, on the straight
    /// line or, with <paramref name="spherical"/>, on the great circle between them (slerp).
    /// </summary>
    /// <param name="from">One code, (latent) or (1, latent).</param>
    /// <param name="to">One code of the same size.</param>
    /// <param name="steps">At least 2.</param>
    /// <param name="spherical">Interpolate angle and norm (slerp) instead of coordinates.</param>
    /// <returns>(steps, latent) codes.</returns>
    public static Tensor Interpolate(Tensor from, Tensor to, int steps, bool spherical = false)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var a = from.reshape(1, -1);
        var b = to.reshape(1, -1);
        if (a.shape[1] != b.shape[1])
            throw new ArgumentException($"the codes have {a.shape[1]} and {b.shape[1]} values; expected the same latent size", nameof(to));
        var t = linspace(0, 1, steps, dtype: a.dtype, device: a.device).unsqueeze(1); // (steps, 1)
        return spherical ? Slerp(a, b, t) : a + t * (b - a);
    }

    /// <summary>
    /// The spherical interpolation of two codes at the fractions <paramref name="t"/>: the angle between them is divided
    /// evenly and the norm goes linearly from |a| to |b|. Falls back to the straight line when they point the same way.
    /// </summary>
    /// <param name="a">(1, latent).</param>
    /// <param name="b">(1, latent).</param>
    /// <param name="t">(steps, 1) fractions in [0, 1].</param>
    public static Tensor Slerp(Tensor a, Tensor b, Tensor t)
    {
        using var scope = NewDisposeScope();
        var normA = a.norm(1, keepdim: true);
        var normB = b.norm(1, keepdim: true);
        var unitA = a / normA.clamp_min(1e-12);
        var unitB = b / normB.clamp_min(1e-12);
        double omega = (unitA * unitB).sum().clamp(-1, 1).acos().to(float64).item<double>();
        if (omega < 1e-6)
            return (a + t * (b - a)).MoveToOuterDisposeScope();
        double sinOmega = Math.Sin(omega);
        // The direction follows the great circle; the length goes linearly between the two norms.
        var direction = ((1 - t) * omega).sin() / sinOmega * unitA + (t * omega).sin() / sinOmega * unitB;
        var length = normA + t * (normB - normA);
        return (direction * length).MoveToOuterDisposeScope();
    }

    /// <summary>The mean of a group of codes, (N, latent) → (1, latent): DCGAN's way to steady a concept before arithmetic.</summary>
    public static Tensor Mean(Tensor codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.dim() != 2 || codes.shape[0] < 1)
            throw new ArgumentException($"codes [{string.Join(", ", codes.shape)}]; expected (N, latent) with N ≥ 1", nameof(codes));
        return codes.mean([0], keepdim: true);
    }

    /// <summary>
    /// Σ weight · mean(group): latent vector arithmetic, e.g. [(smiling woman, +1), (neutral woman, −1), (neutral man, +1)].
    /// </summary>
    /// <param name="terms">Groups of codes, each (N, latent) with the same latent size, and their signs or weights.</param>
    /// <returns>(1, latent).</returns>
    public static Tensor Arithmetic(IReadOnlyList<(Tensor Codes, double Weight)> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
            throw new ArgumentException("no terms; expected at least one group of codes", nameof(terms));
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        for (int i = 0; i < terms.Count; i++)
        {
            var mean = Mean(terms[i].Codes);
            if (sum is not null && sum.shape[1] != mean.shape[1])
                throw new ArgumentException($"terms[{i}] has codes of {mean.shape[1]} values; expected {sum.shape[1]} like terms[0]", nameof(terms));
            sum = sum is null ? terms[i].Weight * mean : sum + terms[i].Weight * mean;
        }
        return sum!.MoveToOuterDisposeScope();
    }
}
