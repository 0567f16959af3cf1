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

        var mixed = Interpolate(real, fake, noise).requires_grad_(true); // x̂, (N, …)
        var scores = critic(mixed);
        // create_graph makes the gradient differentiable; retain_graph must be passed as well in TorchSharp, or the
        // critic's later backward through this graph crashes the process.
        var gradient = autograd.grad([scores.sum()], [mixed], create_graph: true, retain_graph: true)[0];
        return OfGradient(gradient);
    }

    /// <summary>x̂ = ε·real + (1 − ε)·fake with ε ~ U[0, 1] per example, drawn from <paramref name="noise"/>; no graph.</summary>
    internal static Tensor Interpolate(Tensor real, Tensor fake, Generator noise)
    {
        var epsilonShape = new long[real.dim()];
        Array.Fill(epsilonShape, 1L);
        epsilonShape[0] = real.shape[0];
        var epsilon = rand(epsilonShape, dtype: real.dtype, device: real.device, generator: noise); // (N, 1, …)
        return epsilon * real.detach() + (1 - epsilon) * fake.detach();
    }

    /// <summary>The penalty, mean over examples of (‖g‖ − 1)², from the critic's input gradients g, (N, …).</summary>
    internal static Tensor OfGradient(Tensor gradient) => (Norm(gradient) - 1).square().mean();

    /// <summary>
    /// The penalty and its derivative with respect to the input gradients g: 2(‖g‖ − 1)/N · g/‖g‖ per example (the
    /// norm with its 1e-12), shaped like g; what autograd gives for <see cref="OfGradient"/>, without a graph.
    /// </summary>
    internal static (Tensor Value, Tensor Derivative) OfGradientWithDerivative(Tensor gradient)
    {
        var norm = Norm(gradient);
        var excess = norm - 1;                                                             // (N)
        var scale = (2.0 / norm.numel() * excess).div_(norm);                             // (N)
        var shape = Enumerable.Repeat(1L, (int)gradient.dim()).ToArray();
        shape[0] = gradient.shape[0];
        return (excess.square().mean(), gradient.mul(scale.view(shape)));
    }

    private static Tensor Norm(Tensor gradient) => (gradient.square().flatten(1).sum(1) + 1e-12).sqrt(); // (N)
}
