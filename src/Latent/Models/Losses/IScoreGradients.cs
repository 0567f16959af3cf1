using static TorchSharp.torch;

namespace Latent.Models.Losses;

/// <summary>
/// A GAN loss whose derivatives with respect to the scores are written out, so that a step with a written-out backward
/// (<see cref="MlpGanGradients"/>) records no graph for the loss either: autograd would take ~50 µs on a toy batch
/// for what is here a sigmoid and a product.
/// </summary>
/// <remarks>Each derivative is autograd's of <see cref="IGanLoss.DiscriminatorLoss"/> or <see cref="IGanLoss.GeneratorLoss"/>,
/// kinks included (a ReLU's derivative at 0 is 0); the tests compare them in float64. Results are shaped like the scores.</remarks>
internal interface IScoreGradients
{
    /// <summary>∂(discriminator loss)/∂(real scores) and ∂(discriminator loss)/∂(fake scores).</summary>
    (Tensor Real, Tensor Fake) DiscriminatorLossGradients(Tensor realScores, Tensor fakeScores);

    /// <summary>∂(generator loss)/∂(fake scores).</summary>
    Tensor GeneratorLossGradient(Tensor fakeScores);
}
