namespace Latent.Training;

/// <summary>A loss or diagnostic became NaN or infinite: training stopped at that step.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for <paramref name="metric"/> at <paramref name="step"/>.</summary>
    public TrainingDivergedException(long step, string metric, double value)
        : base($"training diverged at step {step}: {metric} is {value}. Lower the learning rates, add gradient-norm clipping " +
               "(gan.gradient_clip_norm) or a gradient penalty, or check the data for NaN values.")
    {
        Step = step;
        Metric = metric;
        Value = value;
    }

    /// <summary>The step whose figures were not finite.</summary>
    public long Step { get; }

    /// <summary>The first figure that was not finite.</summary>
    public string Metric { get; }

    /// <summary>Its value (NaN or ±∞).</summary>
    public double Value { get; }
}
