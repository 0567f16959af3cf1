using static TorchSharp.torch;

namespace Latent.Models.Regularizers;

/// <summary>
/// The WGAN-GP penalty (Gulrajani et al. 2017, Alg. 1): E[(‖∇ D(x̂)‖₂ − 1)²] at x̂ = ε·real + (1 − ε)·fake, ε ~ U[0, 1].
/// </summary>
/// <remarks>
/// <para>An optimal critic has gradient norm 1 almost everywhere on the lines between real and generated points, so the
/// penalty pulls the norm to 1 there: a soft Lipschitz constraint that, unlike weight clipping, leaves the critic its
/// capacity.</para>
/// <para>ε is drawn per example from the model's noise stream and shaped (N, 1, …) so it broadcasts over examples of any
/// rank (vectors, (C, H, W) images). The norm is √(Σ g² + 1e-12): the epsilon sits inside the root, so the penalty's
/// gradient stays finite where the critic's gradient is 0 (a bare √ gives NaN there).</para>
/// <para>The result keeps its graph (built with create_graph), so the critic's backward reaches its parameters through
/// the gradient. Inputs are (N, …), real and fake of the same shape.</para>
/// </remarks>
public sealed class GradientPenalty : ICriticRegularizer
{
    /// <summary>Creates the penalty.</summary>
    /// <param name="weight">λ, the penalty's weight in the critic loss, &gt; 0; 10 by default (Gulrajani et al. 2017, Alg. 1).</param>
    public GradientPenalty(double weight = 10)
    {
        if (!(weight > 0 && double.IsFinite(weight)))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "the penalty weight λ must be a finite number > 0");
        Weight = weight;
    }

    /// <inheritdoc />
    public string Name => "gp";

    /// <summary>λ, the weight of the penalty in the critic loss.</summary>
    public double Weight { get; }

    /// <inheritdoc />
    public Tensor Penalty(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, Generator noise)
    {
        ArgumentNullException.ThrowIfNull(critic);
        if (!real.shape.SequenceEqual(fake.shape))
            throw new ArgumentException($"fake batch [{string.Join(", ", fake.shape)}], expected [{string.Join(", ", real.shape)}] from the real batch", nameof(fake));

        var epsilonShape = new long[real.dim()];
        Array.Fill(epsilonShape, 1L);
        epsilonShape[0] = real.shape[0];
        var epsilon = rand(epsilonShape, dtype: real.dtype, device: real.device, generator: noise); // (N, 1, …)
        var mixed = (epsilon * real.detach() + (1 - epsilon) * fake.detach()).requires_grad_(true);  // x̂, (N, …)

        var scores = critic(mixed);
        // create_graph makes the gradient differentiable; retain_graph must be passed as well in TorchSharp, or the
        // critic's later backward through this graph crashes the process.
        var gradient = autograd.grad([scores.sum()], [mixed], create_graph: true, retain_graph: true)[0];
        var norm = (gradient.square().flatten(1).sum(1) + 1e-12).sqrt();                                  // (N)
        return (norm - 1).square().mean();
    }
}
