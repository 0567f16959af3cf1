using static TorchSharp.torch;

namespace Latent.Models.Losses;

/// <summary>
/// An adversarial objective: the discriminator's (critic's) loss and the generator's loss, from the scores the discriminator gives.
/// </summary>
/// <remarks>
/// Scores are the discriminator's raw outputs, shape (N) or (N, 1): logits for the BCE-based losses, unbounded
/// critic values for Wasserstein and hinge. Implementations return a scalar and do nothing else: no backward,
/// no optimizer, no state.
/// </remarks>
public interface IGanLoss
{
    /// <summary>The recipe name of the loss (<c>non-saturating</c>, <c>wasserstein</c>, …).</summary>
    string Name { get; }

    /// <summary>True when scores are logits of "real", so that sigmoid(score) is the probability D(x) reported in diagnostics.</summary>
    bool ScoresAreLogits { get; }

    /// <summary>The loss the discriminator minimizes, a scalar.</summary>
    Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores);

    /// <summary>The loss the generator minimizes, a scalar.</summary>
    Tensor GeneratorLoss(Tensor fakeScores);
}
