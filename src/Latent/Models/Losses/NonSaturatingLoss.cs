using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Latent.Models.Losses;

/// <summary>
/// The non-saturating GAN loss (Goodfellow et al. 2014, §3): D as in the minimax game, while G maximizes
/// E[log D(G(z))], i.e. minimizes E[softplus(−s_f)].
/// </summary>
/// <remarks>
/// <para>With s the logit, −log σ(s) = softplus(−s) and −log(1 − σ(s)) = softplus(s). The discriminator's loss is
/// BCE(real → label) + BCE(fake → 0) = E[label·softplus(−s_r) + (1 − label)·softplus(s_r)] + E[softplus(s_f)].</para>
/// <para>The generator's gradient is −σ(−s_f): close to −1 exactly when D rejects its fakes, so it learns early in
/// training, where the minimax loss stalls. A real label below 1 is one-sided label smoothing (Salimans et al. 2016,
/// §3.4; 0.9 in the PyTorch MNIST GAN): fakes keep target 0.</para>
/// <para>Scores are logits, (N) or (N, 1).</para>
/// </remarks>
public sealed class NonSaturatingLoss : IGanLoss, IScoreGradients
{
    /// <summary>Creates the loss.</summary>
    /// <param name="realLabel">The target for real examples, in (0, 1]; 1 by default, 0.9 for one-sided label smoothing.</param>
    public NonSaturatingLoss(double realLabel = 1.0)
    {
        if (!(realLabel > 0 && realLabel <= 1))
            throw new ArgumentOutOfRangeException(nameof(realLabel), realLabel, "the real label must be in (0, 1]");
        RealLabel = realLabel;
    }

    /// <summary>The target for real examples (1 without label smoothing).</summary>
    public double RealLabel { get; }

    /// <inheritdoc />
    public string Name => "non-saturating";

    /// <inheritdoc />
    public bool ScoresAreLogits => true;

    /// <inheritdoc />
    public Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores) =>
        // Without smoothing the real term is softplus(−x) alone: the same value in 4 fewer ops.
        (RealLabel == 1 ? softplus(-realScores) : RealLabel * softplus(-realScores) + (1 - RealLabel) * softplus(realScores)).mean()
        + softplus(fakeScores).mean();

    /// <inheritdoc />
    public Tensor GeneratorLoss(Tensor fakeScores) => softplus(-fakeScores).mean();

    /// <inheritdoc />
    (Tensor Real, Tensor Fake) IScoreGradients.DiscriminatorLossGradients(Tensor realScores, Tensor fakeScores) =>
        // ∂/∂s of ℓ·softplus(−s) + (1 − ℓ)·softplus(s) is σ(s) − ℓ; of softplus(s), σ(s); each over its batch for the mean.
        (realScores.sigmoid().sub_(RealLabel).div_(realScores.numel()), fakeScores.sigmoid().div_(fakeScores.numel()));

    /// <inheritdoc />
    Tensor IScoreGradients.GeneratorLossGradient(Tensor fakeScores) => fakeScores.sigmoid().sub_(1).div_(fakeScores.numel()); // −σ(−s) = σ(s) − 1
}
