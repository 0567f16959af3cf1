using static TorchSharp.torch;

namespace Latent.Models.Losses;

/// <summary>
/// The least-squares GAN loss (Mao et al. 2017, with a = 0, b = c = 1): the discriminator minimizes
/// ½E[(s_r − 1)²] + ½E[s_f²], the generator ½E[(s_f − 1)²].
/// </summary>
/// <remarks>
/// <para>The discriminator regresses real scores to b = 1 and fake scores to a = 0; the generator pulls its fakes'
/// scores to c = 1. Unlike the sigmoid losses, the penalty keeps growing for fakes far on the right side of the
/// boundary, so their gradient does not vanish. Minimizing it minimizes the Pearson χ² divergence between the mixture
/// and the generator's distribution (Mao et al. 2017, §3.2).</para>
/// <para>Scores are raw outputs used as they are (no sigmoid), (N) or (N, 1).</para>
/// </remarks>
public sealed class LeastSquaresLoss : IGanLoss, IScoreGradients
{
    /// <inheritdoc />
    public string Name => "least-squares";

    /// <inheritdoc />
    public bool ScoresAreLogits => false;

    /// <inheritdoc />
    public Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores) =>
        0.5 * (realScores - 1).square().mean() + 0.5 * fakeScores.square().mean();

    /// <inheritdoc />
    public Tensor GeneratorLoss(Tensor fakeScores) => 0.5 * (fakeScores - 1).square().mean();

    /// <inheritdoc />
    (Tensor Real, Tensor Fake) IScoreGradients.DiscriminatorLossGradients(Tensor realScores, Tensor fakeScores) =>
        ((realScores - 1).div_(realScores.numel()), fakeScores.div(fakeScores.numel()));

    /// <inheritdoc />
    Tensor IScoreGradients.GeneratorLossGradient(Tensor fakeScores) => (fakeScores - 1).div_(fakeScores.numel());
}
