using Latent.Training;

namespace Latent.Diagnostics;

/// <summary>A detector that judges the per-step figures of <see cref="StepMetrics"/> (<c>d_real</c>, <c>g_loss</c>, …).</summary>
public interface IStepDetector
{
    /// <summary>Takes in step <paramref name="step"/>'s figures.</summary>
    /// <returns>The event when the issue is raised or cleared at this step; null otherwise, and for figures this detector does not read.</returns>
    HealthFinding? Observe(long step, StepMetrics metrics);
}
