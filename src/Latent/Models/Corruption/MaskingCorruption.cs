using static TorchSharp.torch;

namespace Latent.Models.Corruption;

/// <summary>Masking noise (Vincent et al. 2008): each value is set to 0 with probability p.</summary>
public sealed class MaskingCorruption : ICorruption
{
    /// <summary>Creates the corruption.</summary>
    /// <param name="probability">p, the chance that a value is zeroed; in [0, 1).</param>
    public MaskingCorruption(double probability)
    {
        if (!(probability >= 0 && probability < 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "must be in [0, 1)");
        Probability = probability;
    }

    /// <summary>p, the chance that a value is zeroed.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor clean, Generator noise)
    {
        var keep = rand(clean.shape, generator: noise).to(clean.device) >= Probability;
        return clean * keep.to(clean.dtype);
    }
}
