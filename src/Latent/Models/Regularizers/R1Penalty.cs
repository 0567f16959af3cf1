using static TorchSharp.torch;

namespace Latent.Models.Regularizers;

/// <summary>
/// The R1 penalty (Mescheder et al. 2018, "Which Training Methods for GANs do actually Converge?"): E[‖∇ₓ D(x)‖²] on
/// real data, weighted γ/2.
/// </summary>
/// <remarks>
/// <para>Penalizing the discriminator's gradient on real data only makes the game locally convergent at the data
/// distribution: near equilibrium D cannot keep a slope the generator would chase forever. The generated batch is not
/// used.</para>
/// <para>The result keeps its graph (built with create_graph), so the critic's backward reaches its parameters through
/// the gradient. Inputs are (N, …).</para>
/// </remarks>
public sealed class R1Penalty : IRealInputPenalty
{
    /// <summary>Creates the penalty.</summary>
    /// <param name="gamma">γ, &gt; 0; the penalty enters the loss as γ/2 · E[‖∇D‖²]. 10 by default (Mescheder et al. 2018, §4).</param>
    public R1Penalty(double gamma = 10)
    {
        if (!(gamma > 0 && double.IsFinite(gamma)))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be a finite number > 0");
        Gamma = gamma;
    }

    /// <summary>γ, the regularization strength.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public string Name => "r1";

    /// <summary>γ/2, the weight of the penalty in the discriminator loss.</summary>
    public double Weight => Gamma / 2;

    /// <inheritdoc />
    public Tensor Penalty(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, Generator noise)
    {
        ArgumentNullException.ThrowIfNull(critic);
        var x = real.detach().requires_grad_(true); // (N, …)
        return PenaltyFromScores(x, critic(x));
    }

    /// <inheritdoc />
    public Tensor PenaltyFromScores(Tensor real, Tensor realScores)
    {
        if (!real.requires_grad)
            throw new ArgumentException("R1 differentiates the scores with respect to the real batch, so the batch must require a gradient before it is scored", nameof(real));
        // create_graph makes the gradient differentiable; TorchSharp needs retain_graph passed explicitly with it (and
        // the critic loss's backward still runs through these scores).
        var gradient = autograd.grad([realScores.sum()], [real], create_graph: true, retain_graph: true)[0];
        // The batch mean of per-example squared norms is the total sum over N: three ops where sum(1).mean() takes four.
        using TorchSharp.Scalar examples = real.shape[0];
        return gradient.square().sum().div(examples);
    }
}
