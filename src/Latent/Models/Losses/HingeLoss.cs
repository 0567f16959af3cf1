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
public sealed class HingeLoss : IGanLoss
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
}
