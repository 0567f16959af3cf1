namespace Latent.Training;

/// <summary>A loss or diagnostic became NaN or infinite: training stopped at that step.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for <paramref name="metric"/> at <paramref name="step"/>.</summary>
    /// <param name="step">The step whose figures were not finite.</param>
    /// <param name="metric">The first figure that was not finite.</param>
    /// <param name="value">Its value.</param>
    /// <param name="skipped">Steps skipped just before it (the skip policy gives up after too many in a row).</param>
    /// <param name="kept">What was kept of the run (the last good checkpoint), in words; null when unknown.</param>
    public TrainingDivergedException(long step, string metric, double value, int skipped = 0, string? kept = null)
        : base($"training diverged at step {step}: {metric} is {value}" +
               (skipped > 0 ? $", after {skipped} steps in a row were skipped for the same reason" : "") +
               (kept is null ? "" : $"; {kept}") +
               ". Lower the learning rates, add gradient-norm clipping (gan.gradient_clip_norm) or a gradient penalty, " +
               "or check the data for NaN values.")
    {
        Skipped = skipped;
        Step = step;
        Metric = metric;
        Value = value;
    }

    /// <summary>The step whose figures were not finite.</summary>
    public long Step { get; }

    /// <summary>The first figure that was not finite.</summary>
    public string Metric { get; }

    /// <summary>Steps skipped in a row just before it under the skip policy.</summary>
    public int Skipped { get; }

    /// <summary>Its value (NaN or ±∞).</summary>
    public double Value { get; }
}
