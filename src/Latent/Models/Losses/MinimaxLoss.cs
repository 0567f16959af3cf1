using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Latent.Models.Losses;

/// <summary>
/// The original, saturating GAN game (Goodfellow et al. 2014): D maximizes E[log D(x)] + E[log(1 − D(G(z)))], G minimizes
/// E[log(1 − D(G(z)))], with D(x) = σ(s).
/// </summary>
/// <remarks>
/// <para>With s the logit, −log σ(s) = softplus(−s) and −log(1 − σ(s)) = softplus(s), so the discriminator's loss is
/// BCE(real → label) + BCE(fake → 0) = E[label·softplus(−s_r) + (1 − label)·softplus(s_r)] + E[softplus(s_f)] and the
/// generator's is −E[softplus(s_f)]. Softplus keeps both finite and exact where σ(s) rounds to 0 or 1.</para>
/// <para>The generator's gradient, −σ(s_f), vanishes when D rejects fakes confidently (s_f ≪ 0), early in training:
/// this is the loss that saturates, kept for teaching; <see cref="NonSaturatingLoss"/> is the one to train with.</para>
/// <para>Scores are logits, (N) or (N, 1).</para>
/// </remarks>
public sealed class MinimaxLoss : IGanLoss, IScoreGradients
{
    /// <summary>Creates the loss.</summary>
    /// <param name="realLabel">The target for real examples, in (0, 1]; 1 by default, 0.9 for one-sided label smoothing (Salimans et al. 2016).</param>
    public MinimaxLoss(double realLabel = 1.0)
    {
        if (!(realLabel > 0 && realLabel <= 1))
            throw new ArgumentOutOfRangeException(nameof(realLabel), realLabel, "the real label must be in (0, 1]");
        RealLabel = realLabel;
    }

    /// <summary>The target for real examples (1 without label smoothing).</summary>
    public double RealLabel { get; }

    /// <inheritdoc />
    public string Name => "minimax";

    /// <inheritdoc />
    public bool ScoresAreLogits => true;

    /// <inheritdoc />
    public Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores) =>
        // Without smoothing the real term is softplus(−x) alone: the same value in 4 fewer ops.
        (RealLabel == 1 ? softplus(-realScores) : RealLabel * softplus(-realScores) + (1 - RealLabel) * softplus(realScores)).mean()
        + softplus(fakeScores).mean();

    /// <inheritdoc />
    public Tensor GeneratorLoss(Tensor fakeScores) => -softplus(fakeScores).mean();

    /// <inheritdoc />
    (Tensor Real, Tensor Fake) IScoreGradients.DiscriminatorLossGradients(Tensor realScores, Tensor fakeScores) =>
        // ∂/∂s of ℓ·softplus(−s) + (1 − ℓ)·softplus(s) is σ(s) − ℓ; of softplus(s), σ(s); each over its batch for the mean.
        (realScores.sigmoid().sub_(RealLabel).div_(realScores.numel()), fakeScores.sigmoid().div_(fakeScores.numel()));

    /// <inheritdoc />
    Tensor IScoreGradients.GeneratorLossGradient(Tensor fakeScores) => fakeScores.sigmoid().div_(-fakeScores.numel());
}
