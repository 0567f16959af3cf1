using Latent.Training;

namespace Latent.Diagnostics;

/// <summary>
/// Recognizes gradients blowing up: the median gradient norm of the last <see cref="Window"/> steps, of the generator
/// (<c>g_grad_norm</c>) or the discriminator (<c>d_grad_norm</c>), at least <see cref="RaiseFactor"/> times its median over
/// the run's first <see cref="ReferenceSteps"/> steps.
/// </summary>
/// <remarks>
/// <para>Losses are no yardstick here: a Wasserstein loss starts near 0, so any later value is "many times" the first.
/// Gradient norms start at the scale the initialization gives them.</para>
/// <para>Thresholds from measurement (seed 0): over every step of healthy and merely unbalanced runs (<c>gan8g</c>, <c>gan1d</c>,
/// <c>wgangp8g</c>, <c>grid25</c>, <c>wgan8g</c>, learning rates up to 0.05) the 10-step median stays within 13.2 times its
/// start; <c>gan8g</c> with SGD at lr 0.05 and momentum 0.9 passes 100 times at step 97 and turns into infinity at step 107.
/// Raise at 100 times, clear below 10 times.</para>
/// </remarks>
public sealed class DivergenceDetector : HealthDetector, IStepDetector
{
    /// <summary>The growth over the reference at or above which the issue is raised.</summary>
    public const double RaiseFactor = 100;

    /// <summary>The growth below which it is cleared.</summary>
    public const double ClearFactor = 10;

    /// <summary>The remedy.</summary>
    public const string Fix =
        "lower the learning rates; clip the gradient norm (gan.gradient_clip_norm=10); use Adam with betas (0.5, 0.999) rather than SGD with momentum; " +
        "constrain the discriminator with a gradient penalty (gan.gradient_penalty) or spectral normalization (gan.discriminator.spectral_norm=true)";

    private static readonly string[] Names = ["g_grad_norm", "d_grad_norm"];
    private readonly Dictionary<string, (MetricWindow Recent, MetricWindow First)> _series = [];
    private readonly int _window;

    /// <summary>Creates the detector.</summary>
    /// <param name="window">Steps whose median is compared; default 10 (divergence is fast: tens of steps from first growth to NaN).</param>
    /// <param name="referenceSteps">First steps whose median is the yardstick; default 20.</param>
    public DivergenceDetector(int window = 10, int referenceSteps = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(referenceSteps, 1);
        _window = window;
        ReferenceSteps = referenceSteps;
    }

    /// <inheritdoc />
    public override HealthIssue Issue => HealthIssue.Divergence;

    /// <summary>Steps whose median is compared.</summary>
    public int Window => _window;

    /// <summary>First steps whose median is the yardstick.</summary>
    public int ReferenceSteps { get; }

    /// <inheritdoc />
    public HealthFinding? Observe(long step, StepMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        string? worst = null;
        double worstGrowth = 0, worstNow = 0, worstStart = 0;
        foreach (string name in Names)
        {
            if (!metrics.TryGet(name, out double norm))
                continue;
            if (!_series.TryGetValue(name, out var series))
                _series[name] = series = (new MetricWindow(_window), new MetricWindow(ReferenceSteps));
            if (!series.First.IsFull)
                series.First.Add(norm);
            series.Recent.Add(norm);
            if (!series.First.IsFull || !series.Recent.IsFull)
                continue;
            double start = series.First.Median(), now = series.Recent.Median();
            double growth = start > 0 ? now / start : double.PositiveInfinity;
            if (double.IsNaN(growth))
                growth = double.PositiveInfinity;
            if (worst is null || growth > worstGrowth)
                (worst, worstGrowth, worstNow, worstStart) = (name, growth, now, start);
        }
        if (worst is null)
            return null;
        string network = worst == "g_grad_norm" ? "generator" : "discriminator";
        if (!Active && worstGrowth >= RaiseFactor)
            return Raise(step, HealthSeverity.Severe,
                         $"training is diverging: the {network}'s gradient norm is {F(worstNow)} over the last {_window} steps, " +
                         $"{F(worstGrowth)} times its {F(worstStart)} in the first {ReferenceSteps} steps; NaN usually follows within tens of steps",
                         Fix, (worst, worstNow), (worst + "_start", worstStart), ("growth", worstGrowth));
        if (Active && worstGrowth < ClearFactor)
            return Clear(step, $"gradient norms are back within {F(worstGrowth)} times their start", ("growth", worstGrowth));
        return null;
    }
}
