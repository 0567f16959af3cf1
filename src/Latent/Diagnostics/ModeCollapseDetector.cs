namespace Latent.Diagnostics;

/// <summary>
/// Recognizes mode collapse from <see cref="DiversityProbe"/> readings: samples that pile on few modes of a Gaussian
/// mixture or few classes of an image set, or whose spread has fallen far below the real data's and their own earlier spread.
/// </summary>
/// <remarks>
/// <para>Collapse is diversity that <em>fell</em>: each figure is compared with the best the run has shown so far, so a
/// generator that has not yet spread out (an untrained one maps every code near one point, and its blurry first images are
/// one or two "classes" to a classifier) raises nothing. A reading counts as collapsed when any of these holds:</para>
/// <list type="bullet">
/// <item>Mixture: at least <see cref="MinHighQualityShare"/> of the samples lie within 3σ of a mode (the generator has
/// reached the data), and the effective number of modes they cover, K·exp(−KL) with KL that of their mode histogram to
/// uniform, is at most <see cref="EffectiveShare"/>·K and at most <see cref="FallShare"/> of its best so far.</item>
/// <item>Classes: the effective number of classes the classifier sees, C·exp(−KL), is at most <see cref="EffectiveShare"/>·C
/// and at most <see cref="FallShare"/> of its best so far.</item>
/// <item>Spread: the mean pairwise distance of samples is at most <see cref="SpreadLevel"/> of the real data's and at most
/// <see cref="FallShare"/> of the largest ratio seen earlier in the run.</item>
/// </list>
/// <para>Thresholds from measurement on the 8-Gaussian ring (seed 0, 500 samples every 150 steps): healthy runs (<c>gan8g</c>,
/// <c>wgangp8g</c>, <c>wgan8g</c>, <c>wgan8g</c> without clipping) keep a spread ratio of 0.92–1.39 and, once 10% of samples
/// are near a mode, a mode KL ≤ 0.33 (≥ 5.8 effective modes of 8). <c>gan8g</c> at learning rate 0.05 collapses: spread
/// 0.94 at step 450, 0.42 at 1950, 0.23 at 3000; KL ≥ 0.9 from step 1500 (2–4 effective modes; 2 modes hold all samples
/// at the end). On MNIST (<c>mnist-gan-mlp</c>, 1,500 steps, 500 samples every 50 steps) the healthy generator starts as
/// noise at spread 0.82 whose every sample the classifier calls an 8 (1.03 effective classes), shrinks to a blurry mean
/// (spread 0.43 at step 400, two or three classes) and spreads out again (0.78 and 8.9 effective classes at step 1,500):
/// hence the warm-up, and a fall measured from the best figure rather than a level alone (so measured, with 200 samples
/// every 50 steps and a warm-up of 150, the run raises nothing). Raise after
/// <see cref="ReadingsToRaise"/> collapsed readings in a row, clear after as many healthy ones.</para>
/// </remarks>
public sealed class ModeCollapseDetector : HealthDetector
{
    /// <summary>The share of samples near a mode below which the mode histogram is not judged.</summary>
    public const double MinHighQualityShare = 0.10;

    /// <summary>Effective modes or classes, as a share of all, at or below which samples are collapsed (ln 2 of KL).</summary>
    public const double EffectiveShare = 0.5;

    /// <summary>Spread ratio (samples against real data) at or below which samples may be collapsed.</summary>
    public const double SpreadLevel = 0.5;

    /// <summary>Share of the best figure so far (spread ratio, effective modes or classes) at or below which it has fallen.</summary>
    public const double FallShare = 0.5;

    /// <summary>Consecutive collapsed readings that raise the issue; as many healthy ones clear it.</summary>
    public const int ReadingsToRaise = 2;

    /// <summary>The remedy of seed 004 ("Mode collapse — Generator produces nearly identical images regardless of noise input").</summary>
    public const string Fix =
        "let the discriminator compare samples across the batch: minibatch discrimination (gan.discriminator.minibatch_kernels=8) or the minibatch " +
        "standard deviation feature (gan.discriminator.minibatch_std_dev=true); or a mode-seeking diversity term; switch to WGAN-GP " +
        "(gan.loss=wasserstein, gan.gradient_penalty=10), which penalizes collapse more than the Jensen-Shannon loss; enlarge the latent space " +
        "(gan.latent_dim); spectrally normalize the discriminator (gan.discriminator.spectral_norm=true); lower learning rates";

    private double _bestSpread;
    private long _bestSpreadStep;
    private double _bestModes;
    private long _bestModesStep;
    private double _bestClasses;
    private long _bestClassesStep;
    private int _collapsed;
    private int _healthy;

    /// <summary>Creates the detector.</summary>
    /// <param name="warmUpSteps">Readings up to this step are judged against later bests but never set one: the generator is still leaving its initialization. Default 0.</param>
    public ModeCollapseDetector(long warmUpSteps = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmUpSteps);
        WarmUpSteps = warmUpSteps;
    }

    /// <summary>Readings up to this step never set the best figures a fall is measured from.</summary>
    public long WarmUpSteps { get; }

    /// <inheritdoc />
    public override HealthIssue Issue => HealthIssue.ModeCollapse;

    /// <summary>Takes in one reading of the probe at <paramref name="step"/>.</summary>
    /// <returns>The event when the issue is raised or cleared at this reading; else null.</returns>
    public HealthFinding? Observe(long step, DiversityReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        double ratio = reading.SpreadRatio;
        var evidence = new List<string>();
        var figures = new List<(string, double)> { ("spread_ratio", ratio) };

        bool spreadFell = _bestSpread > 0 && ratio <= SpreadLevel && ratio <= FallShare * _bestSpread;
        if (spreadFell)
            evidence.Add($"their mean pairwise distance is {F(ratio)} of the real data's, down from {F(_bestSpread)} at step {_bestSpreadStep}");

        if (reading.Modes is { } modes)
        {
            double effective = modes.ModeCount * Math.Exp(-modes.ModeKl);
            figures.Add(("modes_covered", modes.ModesCovered));
            figures.Add(("effective_modes", double.IsNaN(effective) ? 0 : effective));
            figures.Add(("high_quality_share", modes.HighQualityShare));
            // Below the share, too few samples are near a mode for their histogram to mean anything.
            if (modes.HighQualityShare >= MinHighQualityShare)
            {
                if (effective <= EffectiveShare * modes.ModeCount && effective <= FallShare * _bestModes)
                    evidence.Add($"the {F(100 * modes.HighQualityShare)}% of samples near a mode sit on {modes.ModesCovered} of {modes.ModeCount} modes " +
                                 $"({F(effective)} effective, down from {F(_bestModes)} at step {_bestModesStep}; per mode: {string.Join(" ", modes.HighQualityHistogram)})");
                if (effective > _bestModes && step > WarmUpSteps)
                    (_bestModes, _bestModesStep) = (effective, step);
            }
        }

        if (reading.ClassHistogram is { } classes)
        {
            double effective = classes.Length * Math.Exp(-reading.ClassKl);
            figures.Add(("classes_covered", reading.ClassesCovered));
            figures.Add(("effective_classes", effective));
            if (effective <= EffectiveShare * classes.Length && effective <= FallShare * _bestClasses)
                evidence.Add($"the classifier sees {reading.ClassesCovered} of {classes.Length} classes ({F(effective)} effective, down from {F(_bestClasses)} " +
                             $"at step {_bestClassesStep}; per class: {string.Join(" ", classes)})");
            if (effective > _bestClasses && step > WarmUpSteps)
                (_bestClasses, _bestClassesStep) = (effective, step);
        }

        if (ratio > _bestSpread && step > WarmUpSteps)
            (_bestSpread, _bestSpreadStep) = (ratio, step);
        bool collapsed = evidence.Count > 0;
        _collapsed = collapsed ? _collapsed + 1 : 0;
        _healthy = collapsed ? 0 : _healthy + 1;

        if (!Active && _collapsed >= ReadingsToRaise)
        {
            bool severe = ratio <= SpreadLevel * SpreadLevel || (reading.Modes is { } m && m.ModesCovered <= 1 && m.HighQualityShare >= MinHighQualityShare);
            return Raise(step, severe ? HealthSeverity.Severe : HealthSeverity.Warning,
                         $"mode collapse among {reading.Samples} samples drawn from fixed codes: " + string.Join("; ", evidence),
                         Fix, [.. figures]);
        }
        if (Active && _healthy >= ReadingsToRaise)
        {
            string modesText = reading.Modes is { } back ? $", {back.ModesCovered} of {back.ModeCount} modes covered" : "";
            return Clear(step, $"samples are varied again: spread {F(ratio)} of the real data's{modesText}", [.. figures]);
        }
        return null;
    }
}
