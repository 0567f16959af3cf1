using static TorchSharp.torch;

namespace Latent.Models.Regularizers;

/// <summary>
/// A penalty added to the discriminator's (critic's) loss, weighted: loss + <see cref="Weight"/> · <see cref="Penalty"/>.
/// </summary>
public interface ICriticRegularizer
{
    /// <summary>The name under which the unweighted penalty is recorded in the step metrics (<c>gp</c>, <c>r1</c>).</summary>
    string Name { get; }

    /// <summary>The weight of the penalty in the critic loss (λ for the gradient penalty, γ/2 for R1).</summary>
    double Weight { get; }

    /// <summary>The unweighted penalty, a scalar that keeps its graph so the critic's backward reaches it.</summary>
    /// <param name="critic">The critic, called on whatever points the penalty needs.</param>
    /// <param name="real">The real batch of this critic step.</param>
    /// <param name="fake">The generated batch of this critic step, detached from the generator.</param>
    /// <param name="noise">The model's noise stream (interpolation weights).</param>
    Tensor Penalty(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, Generator noise);
}
