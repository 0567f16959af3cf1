using static TorchSharp.torch;

namespace Latent.Data;

/// <summary>A mixture of isotropic Gaussians with one shared standard deviation and equally likely components.</summary>
/// <remarks>Mode metrics (<see cref="Evaluation.ModeCoverage"/>) need exactly this: where the modes are and how wide.</remarks>
public interface IGaussianMixture
{
    /// <summary>The component means, a (K, D) float32 tensor on the CPU, owned by the mixture: read it, never dispose it.</summary>
    Tensor Centers { get; }

    /// <summary>The standard deviation of every component, per coordinate.</summary>
    double Std { get; }
}
