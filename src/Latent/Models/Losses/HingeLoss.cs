using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Latent.Models.Losses;

/// <summary>
/// The hinge GAN loss (Lim and Ye 2017; Miyato et al. 2018): the discriminator minimizes E[max(0, 1 − s_r)] +
/// E[max(0, 1 + s_f)], the generator −E[s_f].
/// </summary>
/// <remarks>
/// <para>The discriminator stops pushing an example once it is classified with margin 1 (s_r ≥ 1, s_f ≤ −1), which keeps
/// its scores from growing without bound; the generator's loss is the Wasserstein one. The usual partner of spectral
/// normalization (SN-GAN).</para>
/// <para>Scores are unbounded values, (N) or (N, 1).</para>
/// </remarks>
public sealed class HingeLoss : IGanLoss, IScoreGradients
{
    /// <inheritdoc />
    public string Name => "hinge";

    /// <inheritdoc />
    public bool ScoresAreLogits => false;

    /// <inheritdoc />
    public Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores) =>
        relu(1 - realScores).mean() + relu(1 + fakeScores).mean();

    /// <inheritdoc />
    public Tensor GeneratorLoss(Tensor fakeScores) => -fakeScores.mean();

    /// <inheritdoc />
    (Tensor Real, Tensor Fake) IScoreGradients.DiscriminatorLossGradients(Tensor realScores, Tensor fakeScores) =>
        // relu(u)' is 1 where u > 0 and 0 elsewhere, the kink included: sign(u) clamped at 0.
        ((1 - realScores).sign_().clamp_min_(0).div_(-realScores.numel()), (1 + fakeScores).sign_().clamp_min_(0).div_(fakeScores.numel()));

    /// <inheritdoc />
    Tensor IScoreGradients.GeneratorLossGradient(Tensor fakeScores) => full_like(fakeScores, -1.0 / fakeScores.numel());
}
