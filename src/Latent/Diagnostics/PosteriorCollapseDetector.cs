using Latent.Training;

namespace Latent.Diagnostics;

/// <summary>
/// Recognizes a VAE whose posterior has collapsed onto the prior: the median KL term (<c>kl</c>, nats per example) of the
/// last <see cref="Window"/> steps at most <see cref="RaiseLevel"/>. The encoder then says nothing about its input, and
/// the decoder learns to ignore z: every sample is the same average example.
/// </summary>
/// <remarks>
/// Thresholds from measurement (seed 0, 50-step medians): <c>vae2d</c> and <c>vae2d-seed</c> never go below 0.41 nats; the
/// same VAE with β = 20 is at 0.008 in its first 50 steps and 2·10⁻⁶ by step 1,500 (no sample near a cluster). Raise at
/// 0.01, clear above 0.05.
/// </remarks>
public sealed class PosteriorCollapseDetector : HealthDetector, IStepDetector
{
    /// <summary>The median KL at or below which the issue is raised.</summary>
    public const double RaiseLevel = 0.01;

    /// <summary>The median KL above which it is cleared.</summary>
    public const double ClearLevel = 0.05;

    /// <summary>The remedy.</summary>
    public const string Fix =
        "lower the weight of the KL term (vae.beta) or warm it up from 0 (vae.kl_warmup_steps=1000); a decoder so strong it needs no code " +
        "(wide, or autoregressive) also invites collapse: make it smaller";

    private readonly MetricWindow _kl;

    /// <summary>Creates the detector.</summary>
    /// <param name="window">Steps whose median is judged; default 50.</param>
    public PosteriorCollapseDetector(int window = 50) => _kl = new MetricWindow(window);

    /// <inheritdoc />
    public override HealthIssue Issue => HealthIssue.PosteriorCollapse;

    /// <summary>Steps whose median is judged.</summary>
    public int Window => _kl.Capacity;

    /// <inheritdoc />
    public HealthFinding? Observe(long step, StepMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (!metrics.TryGet("kl", out double kl))
            return null;
        _kl.Add(kl);
        if (!_kl.IsFull)
            return null;
        double median = _kl.Median();
        if (!Active && median <= RaiseLevel)
            return Raise(step, HealthSeverity.Severe,
                         $"the posterior has collapsed onto the prior: the KL term is {F(median)} nats over the last {Window} steps, so the code carries " +
                         "almost nothing about the input and the decoder produces the same average example for every z",
                         Fix, ("kl", median));
        if (Active && median > ClearLevel)
            return Clear(step, $"the KL term is back to {F(median)} nats: the code carries information again", ("kl", median));
        return null;
    }
}
