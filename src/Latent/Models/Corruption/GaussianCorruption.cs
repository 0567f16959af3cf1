using static TorchSharp.torch;

namespace Latent.Models.Corruption;

/// <summary>Additive Gaussian noise: x̃ = x + σ·ε, ε ~ N(0, I).</summary>
public sealed class GaussianCorruption : ICorruption
{
    /// <summary>Creates the corruption.</summary>
    /// <param name="std">σ, the noise's standard deviation; greater than 0.</param>
    public GaussianCorruption(double std)
    {
        if (!(std > 0) || double.IsInfinity(std))
            throw new ArgumentOutOfRangeException(nameof(std), std, "must be a finite number greater than 0");
        Std = std;
    }

    /// <summary>σ, the noise's standard deviation.</summary>
    public double Std { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor clean, Generator noise) =>
        clean + randn(clean.shape, dtype: clean.dtype, generator: noise).to(clean.device) * Std;
}
