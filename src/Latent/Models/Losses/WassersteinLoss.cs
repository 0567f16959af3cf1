using static TorchSharp.torch;

namespace Latent.Models.Losses;

/// <summary>
/// The Wasserstein GAN loss (Arjovsky et al. 2017): the critic minimizes E[s_f] − E[s_r], the generator −E[s_f].
/// </summary>
/// <remarks>
/// <para>When the critic is 1-Lipschitz, max over critics of E[s_r] − E[s_f] is the Wasserstein-1 distance between the
/// data and the generator's distribution (Kantorovich–Rubinstein duality), so −(critic loss) estimates it and falls as
/// the generator improves. The Lipschitz bound is not part of the loss: pair it with <c>WeightClipping</c> (WGAN) or a
/// <c>GradientPenalty</c> (WGAN-GP).</para>
/// <para>Scores are unbounded critic values, not logits, (N) or (N, 1).</para>
/// </remarks>
public sealed class WassersteinLoss : IGanLoss, IScoreGradients
{
    /// <inheritdoc />
    public string Name => "wasserstein";

    /// <inheritdoc />
    public bool ScoresAreLogits => false;

    /// <inheritdoc />
    public Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores) => fakeScores.mean() - realScores.mean();

    /// <inheritdoc />
    public Tensor GeneratorLoss(Tensor fakeScores) => -fakeScores.mean();

    /// <inheritdoc />
    (Tensor Real, Tensor Fake) IScoreGradients.DiscriminatorLossGradients(Tensor realScores, Tensor fakeScores) =>
        (full_like(realScores, -1.0 / realScores.numel()), full_like(fakeScores, 1.0 / fakeScores.numel()));

    /// <inheritdoc />
    Tensor IScoreGradients.GeneratorLossGradient(Tensor fakeScores) => full_like(fakeScores, -1.0 / fakeScores.numel());
}
