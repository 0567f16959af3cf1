using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Models.Regularizers;

/// <summary>
/// The original WGAN's Lipschitz constraint (Arjovsky et al. 2017, Alg. 1): after each critic step, every parameter is
/// clamped into [−c, c].
/// </summary>
/// <remarks>
/// A crude bound: a small c makes gradients vanish, a large one lets them explode, and the critic tends towards very
/// simple functions (Gulrajani et al. 2017, §3). Kept for WGAN as published; <see cref="GradientPenalty"/> is the fix.
/// Every parameter is clamped, BatchNorm's affine weights included, as in the paper's code.
/// </remarks>
public sealed class WeightClipping : ICriticConstraint
{
    /// <summary>Creates the constraint.</summary>
    /// <param name="clip">c, &gt; 0; 0.01 by default (Arjovsky et al. 2017, Alg. 1).</param>
    public WeightClipping(double clip = 0.01)
    {
        if (!(clip > 0 && double.IsFinite(clip)))
            throw new ArgumentOutOfRangeException(nameof(clip), clip, "the clipping bound c must be a finite number > 0");
        Clip = clip;
    }

    /// <summary>c, the bound on every parameter's magnitude.</summary>
    public double Clip { get; }

    /// <inheritdoc />
    public void Apply(nn.Module critic)
    {
        ArgumentNullException.ThrowIfNull(critic);
        using var noGrad = no_grad();
        using Scalar low = -Clip, high = Clip;
        foreach (var parameter in critic.parameters())
            parameter.clamp_(low, high);
    }
}
