using Latent.Training;

namespace Latent.Diagnostics;

/// <summary>
/// Recognizes training that cycles without converging: the balance of the two networks swings up and down with a
/// period over the last <see cref="Window"/> steps. It reads D(G(z)) (<c>d_fake</c>) when scores are logits, else the
/// Wasserstein estimate (<c>wasserstein</c>; a critic's raw scores drift by a free constant, their difference does not).
/// </summary>
/// <remarks>
/// <para>Every <see cref="Every"/> steps the window is cut into blocks of <see cref="Block"/> steps and their means taken
/// (this removes step-to-step noise), a straight line is fitted and removed (a trend is not a cycle), and the
/// autocorrelation ρ(k) of what remains is measured. A cycle of period P gives ρ ≈ −1 at lag P/2 and ρ ≈ +1 again at P;
/// noise gives ρ ≈ 0, a slow drift a ρ that decays without turning negative. The window cycles when ρ falls to
/// <see cref="CycleDip"/> or below and then comes back to <see cref="CycleRebound"/> or above, and the swing (standard
/// deviation of the block means about the line) is at least <see cref="ProbabilitySwing"/> in D(G(z)), or
/// <see cref="RelativeSwing"/> of the mean |Wasserstein estimate|.</para>
/// <para>Thresholds from measurement (seed 0, 400-step windows every 50 steps): no window of a healthy run (<c>gan8g</c>,
/// <c>gan1d</c>, <c>wgangp8g</c>, <c>grid25</c>, <c>wgan8g</c>, minimax <c>gan8g</c>) passes the cycle test with a swing above
/// 0.0013; <c>gan1d</c> without R1 and minibatch std at Adam (0.9, 0.999), lr 0.01 cycles with period ≈ 80 steps and
/// swing 0.05–0.11 in every window from step 400 to 1400; WGAN-GP at lr 0.01, β₁ 0.9, one critic step swings by 1.07
/// of its mean. The issue is raised after two cycling windows in a row and cleared after three quiet ones.</para>
/// </remarks>
public sealed class OscillationDetector : HealthDetector, IStepDetector
{
    /// <summary>ρ at or below which the window may be a cycle (half a period).</summary>
    public const double CycleDip = -0.5;

    /// <summary>ρ at or above which the autocorrelation must come back after the dip (a full period).</summary>
    public const double CycleRebound = 0.3;

    /// <summary>The smallest swing of D(G(z)) (standard deviation of the block means about the trend) that counts.</summary>
    public const double ProbabilitySwing = 0.02;

    /// <summary>The smallest swing of the Wasserstein estimate, relative to its mean magnitude, that counts.</summary>
    public const double RelativeSwing = 0.25;

    /// <summary>Consecutive cycling windows that raise the issue.</summary>
    public const int WindowsToRaise = 2;

    /// <summary>Consecutive quiet windows that clear it.</summary>
    public const int WindowsToClear = 3;

    /// <summary>The remedy of seed 004 ("Training oscillates — loss goes up and down without converging").</summary>
    public const string Fix =
        "use Adam with betas (0.5, 0.999): less momentum, less oscillation (gan.generator_optimizer.beta1=0.5, gan.discriminator_optimizer.beta1=0.5); " +
        "lower both learning rates or decay them (lr_decay.gamma=0.99); sample from an exponential moving average of the generator's weights " +
        "(gan.ema=0.999); train the discriminator 1 to 5 steps per generator step (gan.critic_steps)";

    private readonly MetricWindow _values;
    private readonly bool _probabilities;
    private int _cycling;
    private int _quiet;

    /// <summary>Creates the detector.</summary>
    /// <param name="scoresAreProbabilities">True when <c>d_fake</c> is a mean probability (logit losses); false to read <c>wasserstein</c>.</param>
    /// <param name="window">Steps judged at once; at least 8 blocks. Default 400.</param>
    /// <param name="block">Steps per block mean; default 10.</param>
    /// <param name="every">Steps between judgements; default 50.</param>
    public OscillationDetector(bool scoresAreProbabilities, int window = 400, int block = 10, int every = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(block, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 8 * block);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        _values = new MetricWindow(window);
        _probabilities = scoresAreProbabilities;
        Block = block;
        Every = every;
    }

    /// <inheritdoc />
    public override HealthIssue Issue => HealthIssue.Oscillation;

    /// <summary>Steps judged at once.</summary>
    public int Window => _values.Capacity;

    /// <summary>Steps per block mean.</summary>
    public int Block { get; }

    /// <summary>Steps between judgements.</summary>
    public int Every { get; }

    private string Series => _probabilities ? "d_fake" : "wasserstein";

    /// <inheritdoc />
    public HealthFinding? Observe(long step, StepMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (!metrics.TryGet(Series, out double value))
            return null;
        _values.Add(value);
        if (!_values.IsFull || step % Every != 0)
            return null;

        var cycle = Measure(_values.ToArray(), Block);
        double swing = _probabilities ? cycle.Swing : cycle.Swing / Math.Max(cycle.MeanMagnitude, 1e-12);
        bool cycling = cycle.Dip <= CycleDip && cycle.Rebound >= CycleRebound && swing >= (_probabilities ? ProbabilitySwing : RelativeSwing);
        _cycling = cycling ? _cycling + 1 : 0;
        _quiet = cycling ? 0 : _quiet + 1;
        string what = _probabilities ? "D(G(z))" : "the Wasserstein estimate";
        if (!Active && _cycling >= WindowsToRaise)
        {
            string size = _probabilities ? $"by ±{F(cycle.Swing)}" : $"by ±{F(cycle.Swing)} ({F(100 * swing)}% of its mean magnitude {F(cycle.MeanMagnitude)})";
            string message = $"training oscillates: over the last {Window} steps {what} has cycled up and down {size} around {F(cycle.Mean)} " +
                             $"with a period of about {cycle.Period * Block} steps and a trend of {F(cycle.Trend)} over the window " +
                             $"(autocorrelation {F(cycle.Dip)} at half a period, {F(cycle.Rebound)} at a whole one)";
            return Raise(step, HealthSeverity.Warning, message, Fix,
                         (Series + "_swing", cycle.Swing), ("period_steps", cycle.Period * Block), ("autocorrelation_dip", cycle.Dip), ("autocorrelation_rebound", cycle.Rebound));
        }
        if (Active && _quiet >= WindowsToClear)
            return Clear(step, $"{what} no longer cycles: {WindowsToClear} windows of {Window} steps in a row without a period", (Series + "_swing", cycle.Swing));
        return null;
    }

    /// <summary>The cycle figures of one window: block means, trend removed, autocorrelation.</summary>
    internal static CycleFigures Measure(double[] values, int block)
    {
        int n = values.Length / block;
        var means = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < block; j++)
                sum += values[i * block + j];
            means[i] = sum / block;
        }

        // Least-squares line through (i, means[i]); the residuals are the swing about the trend.
        double tMean = (n - 1) / 2.0, yMean = means.Average();
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++)
        {
            sxy += (i - tMean) * (means[i] - yMean);
            sxx += (i - tMean) * (i - tMean);
        }
        double slope = sxy / sxx;
        var residuals = new double[n];
        double variance = 0;
        for (int i = 0; i < n; i++)
        {
            residuals[i] = means[i] - (yMean + slope * (i - tMean));
            variance += residuals[i] * residuals[i];
        }
        variance /= n;
        double meanMagnitude = means.Average(Math.Abs);
        if (!(variance > 0) || !double.IsFinite(variance))
            return new CycleFigures(0, 0, 0, 0, yMean, meanMagnitude, slope * n);

        // ρ(k) with the biased estimator (divided by n, not n − k), which keeps long lags from looking periodic by chance.
        int maxLag = n / 2;
        var rho = new double[maxLag + 1];
        for (int k = 1; k <= maxLag; k++)
        {
            double sum = 0;
            for (int i = 0; i + k < n; i++)
                sum += residuals[i] * residuals[i + k];
            rho[k] = sum / (n * variance);
        }
        int dipLag = 1;
        for (int k = 2; k <= maxLag; k++)
        {
            if (rho[k] < rho[dipLag])
                dipLag = k;
        }
        double rebound = double.NegativeInfinity;
        for (int k = dipLag; k <= maxLag; k++)
            rebound = Math.Max(rebound, rho[k]);
        return new CycleFigures(rho[dipLag], rebound, 2 * dipLag, Math.Sqrt(variance), yMean, meanMagnitude, slope * n);
    }

    /// <summary>One window's cycle figures.</summary>
    /// <param name="Dip">The lowest autocorrelation, at half a period.</param>
    /// <param name="Rebound">The highest autocorrelation from the dip on.</param>
    /// <param name="Period">The period in blocks: twice the lag of the dip.</param>
    /// <param name="Swing">The standard deviation of the block means about the trend line.</param>
    /// <param name="Mean">The mean of the block means.</param>
    /// <param name="MeanMagnitude">The mean of |block mean|.</param>
    /// <param name="Trend">The change of the trend line over the window.</param>
    internal readonly record struct CycleFigures(double Dip, double Rebound, int Period, double Swing, double Mean, double MeanMagnitude, double Trend);
}
