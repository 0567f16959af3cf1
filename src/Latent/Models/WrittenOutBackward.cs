namespace Latent.Models;

/// <summary>
/// The process-wide switch for the written-out backward: a <see cref="Gan"/> or <see cref="VariationalAutoencoder"/>
/// whose networks are plain perceptrons (Linear layers and elementwise activations) computes its gradients with the
/// networks' backward pass written out instead of recording an autograd graph: the same updates in fewer ops.
/// </summary>
/// <remarks>
/// <para>On by default. The toy workloads are dominated by the cost of each op, not its arithmetic, so fewer ops are
/// faster steps: 1.4-1.6× on <c>gan8g</c>, <c>wgan8g</c> and <c>wgangp8g</c>, 1.8× on <c>vae2d</c> (bench/README.md).
/// Turn it off to compare, or to rule it out while debugging; like <c>torch.backends</c>' switches it is read at every
/// step, so set it before training.</para>
/// <para>Which models take it: see <see cref="Gan.UsesWrittenOutBackward"/> and
/// <see cref="VariationalAutoencoder.UsesWrittenOutBackward"/>. A seed gives the same run either way up to
/// floating-point rounding (the tests compare 12 steps in float64 to 1e-10).</para>
/// </remarks>
public static class WrittenOutBackward
{
    /// <summary>Whether models that can take the written-out backward do (true by default).</summary>
    public static bool Enabled { get; set; } = true;
}
