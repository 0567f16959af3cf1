using static TorchSharp.torch;

namespace Latent.Models.Regularizers;

/// <summary>
/// A penalty on the critic's gradient with respect to the real batch (R1), computed from the real scores the critic
/// step already has rather than from a second critic pass.
/// </summary>
/// <remarks>
/// When a regularizer implements this, <see cref="Gan"/> scores its real batch once with the input requiring a
/// gradient and hands those scores here, as Mescheder et al.'s reference code does: the penalty costs a double
/// backward but no extra forward. A critic with dropout therefore sees one mask per real batch, not two.
/// </remarks>
public interface IRealInputPenalty : ICriticRegularizer
{
    /// <summary>The unweighted penalty from scores of <paramref name="real"/>; it keeps its graph like <see cref="ICriticRegularizer.Penalty"/>.</summary>
    /// <param name="real">The real batch, a tensor that requires a gradient, (N, …).</param>
    /// <param name="realScores">The critic's scores of <paramref name="real"/> in the training graph, (N, 1).</param>
    Tensor PenaltyFromScores(Tensor real, Tensor realScores);
}
