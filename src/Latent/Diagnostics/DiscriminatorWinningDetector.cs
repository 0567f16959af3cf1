using Latent.Training;

namespace Latent.Diagnostics;

/// <summary>
/// Recognizes a discriminator that wins too hard: over the last <see cref="Window"/> steps the median D(x) is at least
/// <see cref="RaiseLevel"/> and the median D(G(z)) at most 1 − <see cref="RaiseLevel"/>. For GANs whose scores are
/// logits (minimax, non-saturating), where <c>d_real</c> and <c>d_fake</c> are mean probabilities.
/// </summary>
/// <remarks>
/// <para>The tutorial's healthy targets are D(x) ≈ 0.6–0.8 and D(G(z)) ≈ 0.3–0.5; "if D(x) → 1.0 and D(G(z)) → 0.0:
/// discriminator winning too hard". The detector reads min(D(x), 1 − D(G(z))), the weaker of the two signs.</para>
/// <para>Thresholds from measurement (seed 0, 50-step medians, threads 1): the largest value in healthy runs
/// (<c>gan8g</c>, <c>gan1d</c>, <c>gan8g</c> with minimax loss, <c>gan8g-seed</c>) is 0.60; runs that are off balance without
/// D winning outright (<c>gan8g</c> at learning rate 0.05; Adam β₁ 0.9 at 0.01) reach 0.84 and 0.91; a too-strong
/// discriminator (<c>gan8g</c> with minimax loss, D lr 0.01, G lr 2e-5) holds 0.999 from step 100 to step 900. Raise at
/// 0.95, clear below 0.90; severe when D(G(z)) ≤ 0.01, where the minimax generator's gradient, scaled by D(G(z)), is
/// a hundredth of what it is at balance.</para>
/// </remarks>
public sealed class DiscriminatorWinningDetector : HealthDetector, IStepDetector
{
    /// <summary>min(D(x), 1 − D(G(z))) at or above which the issue is raised.</summary>
    public const double RaiseLevel = 0.95;

    /// <summary>min(D(x), 1 − D(G(z))) below which it is cleared.</summary>
    public const double ClearLevel = 0.90;

    /// <summary>D(G(z)) at or below which the issue is severe.</summary>
    public const double SevereFake = 0.01;

    private readonly MetricWindow _real;
    private readonly MetricWindow _fake;
    private readonly MetricWindow _generatorGradient;
    private double _earlyGeneratorGradient = double.NaN;

    /// <summary>Creates the detector.</summary>
    /// <param name="window">Steps whose medians are judged; default 50.</param>
    public DiscriminatorWinningDetector(int window = 50)
    {
        _real = new MetricWindow(window);
        _fake = new MetricWindow(window);
        _generatorGradient = new MetricWindow(window);
    }

    /// <inheritdoc />
    public override HealthIssue Issue => HealthIssue.DiscriminatorWinning;

    /// <summary>Steps whose medians are judged.</summary>
    public int Window => _real.Capacity;

    /// <summary>The remedy of seed 004 ("Generator loss goes to zero immediately — Discriminator wins from step one").</summary>
    public const string Fix =
        "balance the two networks: use the non-saturating generator loss rather than minimax (gan.loss=non-saturating), " +
        "one-sided label smoothing (gan.real_label=0.9), a lower discriminator learning rate or fewer discriminator steps per " +
        "generator step (gan.discriminator_optimizer.lr, gan.critic_steps), instance noise on the discriminator's inputs, " +
        "or WGAN-GP (gan.loss=wasserstein, gan.gradient_penalty=10), whose critic gives gradients even when real and fake do not overlap";

    /// <inheritdoc />
    public HealthFinding? Observe(long step, StepMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (!metrics.TryGet("d_real", out double real) || !metrics.TryGet("d_fake", out double fake))
            return null;
        _real.Add(real);
        _fake.Add(fake);
        if (metrics.TryGet("g_grad_norm", out double gradient))
        {
            _generatorGradient.Add(gradient);
            if (_generatorGradient.IsFull && double.IsNaN(_earlyGeneratorGradient))
                _earlyGeneratorGradient = _generatorGradient.Median();
        }
        if (!_real.IsFull)
            return null;

        double medianReal = _real.Median(), medianFake = _fake.Median();
        double dominance = Math.Min(medianReal, 1 - medianFake);
        if (!Active && dominance >= RaiseLevel)
        {
            var severity = medianFake <= SevereFake ? HealthSeverity.Severe : HealthSeverity.Warning;
            string message = $"the discriminator is winning too hard: over the last {Window} steps D(x) = {F(medianReal)} and D(G(z)) = {F(medianFake)} " +
                             "(healthy: D(x) about 0.6-0.8, D(G(z)) about 0.3-0.5)";
            if (_generatorGradient.Count > 0 && double.IsFinite(_earlyGeneratorGradient))
                message += $"; the generator's gradient norm is {F(_generatorGradient.Median())}, against {F(_earlyGeneratorGradient)} in its first {Window} steps";
            message += severity == HealthSeverity.Severe ? ": the generator's gradients are vanishing" : "";
            return Raise(step, severity, message, Fix, ("d_real", medianReal), ("d_fake", medianFake), ("g_grad_norm", _generatorGradient.Median()));
        }
        if (Active && dominance < ClearLevel)
            return Clear(step, $"the discriminator no longer wins outright: D(x) = {F(medianReal)}, D(G(z)) = {F(medianFake)} over the last {Window} steps",
                         ("d_real", medianReal), ("d_fake", medianFake));
        return null;
    }
}
