using Latent.Models.Regularizers;

namespace Latent.Models;

/// <summary>
/// The training algorithm of a <see cref="Gan"/> beyond its loss: critic steps, penalties, constraints and stabilizers.
/// </summary>
/// <remarks>Every stabilizer is off by default; each is one switch, so a recipe names exactly what it uses.</remarks>
public sealed record GanOptions
{
    /// <summary>Dimensions of the noise z ~ N(0, I) fed to the generator; default 2.</summary>
    public int LatentDim { get; init; } = 2;

    /// <summary>n_critic: discriminator updates per generator update, each on a fresh real batch (WGAN: 5); default 1.</summary>
    public int CriticSteps { get; init; } = 1;

    /// <summary>Penalties added to the critic loss with their weights (gradient penalty, R1).</summary>
    public IReadOnlyList<ICriticRegularizer> Regularizers { get; init; } = [];

    /// <summary>Constraints applied to the critic after each of its updates (weight clipping).</summary>
    public IReadOnlyList<ICriticConstraint> Constraints { get; init; } = [];

    /// <summary>
    /// Weight of feature matching (Salimans et al. 2016) added to the generator loss: ‖E f(x) − E f(G(z))‖² on the
    /// discriminator's penultimate features; 0 (default) for none. Needs a <see cref="Nets.Discriminator"/>.
    /// </summary>
    public double FeatureMatchingWeight { get; init; }

    /// <summary>Largest L2 norm of each network's gradient before its update (gradient-norm clipping); null for none.</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Decay of the exponential moving average of the generator's weights (0.999 is typical); null for none. Sampling uses the average.</summary>
    public double? EmaDecay { get; init; }

    /// <summary>Checks every value, naming the first one out of range.</summary>
    public void Validate()
    {
        if (LatentDim < 1)
            throw new ArgumentOutOfRangeException(nameof(LatentDim), LatentDim, "must be ≥ 1");
        if (CriticSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(CriticSteps), CriticSteps, "must be ≥ 1");
        if (!(FeatureMatchingWeight >= 0) || double.IsInfinity(FeatureMatchingWeight))
            throw new ArgumentOutOfRangeException(nameof(FeatureMatchingWeight), FeatureMatchingWeight, "must be a finite number ≥ 0");
        if (GradientClipNorm is { } clip && !(clip > 0))
            throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), clip, "must be > 0");
        if (EmaDecay is { } decay && !(decay >= 0 && decay < 1))
            throw new ArgumentOutOfRangeException(nameof(EmaDecay), decay, "must be in [0, 1)");
    }
}
