namespace Latent.Diagnostics;

/// <summary>The ways training goes wrong that the health monitor recognizes, each with the tutorials' remedy.</summary>
/// <remarks>Written to <c>health.jsonl</c> in snake case (<c>discriminator_winning</c>); see <see cref="HealthIssues"/>.</remarks>
public enum HealthIssue
{
    /// <summary>D(x) → 1 and D(G(z)) → 0: the discriminator tells every fake from real, and the generator's gradient vanishes.</summary>
    DiscriminatorWinning,

    /// <summary>
    /// The generator's loss has collapsed to 0: under the minimax loss D rejects every fake (its gradient vanishes),
    /// under the non-saturating or least-squares loss D accepts every fake (the discriminator has stopped discriminating).
    /// </summary>
    GeneratorCollapse,

    /// <summary>Sample diversity has fallen: samples pile on few modes or classes, or lie far closer together than real data.</summary>
    ModeCollapse,

    /// <summary>The balance of the two networks cycles up and down without converging.</summary>
    Oscillation,

    /// <summary>Gradients are blowing up by orders of magnitude: training is about to turn into NaN.</summary>
    Divergence,

    /// <summary>A Wasserstein critic's slope (input-gradient norm) is far from 1: it no longer estimates the Wasserstein distance.</summary>
    LipschitzLost,

    /// <summary>A VAE's KL term has fallen to about 0: the decoder ignores the latent code.</summary>
    PosteriorCollapse,
}
