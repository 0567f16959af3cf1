using Latent.Training;

namespace Latent.Diagnostics;

/// <summary>
/// Recognizes a generator loss that has collapsed to 0: the median |g_loss| over the last <see cref="Window"/> steps at
/// most <see cref="RaiseLevel"/>. Only for losses whose generator term is 0 at an extreme of D(G(z)): minimax
/// (log(1 − D(G(z))) → 0⁻ when D rejects every fake), non-saturating (−log D(G(z)) → 0⁺ when D accepts every fake) and
/// least squares (½(D(G(z)) − 1)² → 0). A Wasserstein or hinge generator loss is a raw critic score with no such meaning.
/// </summary>
/// <remarks>
/// <para>Seed 004: "Generator loss goes to zero immediately — Discriminator wins from step one … log(1 − D(G(z))) saturates at 0
/// and the Generator learns nothing". The sign tells the two collapses apart: below 0 the discriminator has won (the minimax
/// generator's gradient is scaled by D(G(z)) and vanishes); above 0 the discriminator has stopped discriminating.</para>
/// <para>Thresholds from measurement (seed 0, 50-step medians): healthy runs (<c>gan8g</c>, <c>gan1d</c>, <c>gan8g-seed</c>,
/// minimax <c>gan8g</c>) never go below |g_loss| = 0.50; the too-strong discriminator (minimax, D lr 0.01, G lr 2e-5)
/// sits at 0.0003 from step 300 to 800. Raise at 0.01 (D(G(z)) ≈ 0.01 under minimax), clear above 0.05.</para>
/// </remarks>
public sealed class GeneratorCollapseDetector : HealthDetector, IStepDetector
{
    /// <summary>The median |g_loss| at or below which the issue is raised.</summary>
    public const double RaiseLevel = 0.01;

    /// <summary>The median |g_loss| above which it is cleared.</summary>
    public const double ClearLevel = 0.05;

    /// <summary>The remedy when D rejects every fake (seed 004).</summary>
    public const string VanishingFix =
        "use the non-saturating generator loss, which maximizes log D(G(z)) and keeps a strong gradient while D is winning " +
        "(gan.loss=non-saturating); add one-sided label smoothing (gan.real_label=0.9); give both networks the same learning rate " +
        "and similar sizes; or switch to WGAN-GP (gan.loss=wasserstein, gan.gradient_penalty=10)";

    /// <summary>The remedy when D accepts every fake: the discriminator has collapsed.</summary>
    public const string FooledFix =
        "strengthen the discriminator: raise its learning rate or its size, give it more steps per generator step " +
        "(gan.critic_steps), or lower the generator's learning rate; check that its last layer outputs logits (no sigmoid)";

    private readonly MetricWindow _loss;
    private readonly MetricWindow _fake;

    /// <summary>Creates the detector.</summary>
    /// <param name="window">Steps whose median is judged; default 50.</param>
    public GeneratorCollapseDetector(int window = 50)
    {
        _loss = new MetricWindow(window);
        _fake = new MetricWindow(window);
    }

    /// <inheritdoc />
    public override HealthIssue Issue => HealthIssue.GeneratorCollapse;

    /// <summary>Steps whose median is judged.</summary>
    public int Window => _loss.Capacity;

    /// <inheritdoc />
    public HealthFinding? Observe(long step, StepMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (!metrics.TryGet("g_loss", out double loss))
            return null;
        _loss.Add(loss);
        _fake.Add(metrics.TryGet("d_fake", out double fake) ? fake : double.NaN);
        if (!_loss.IsFull)
            return null;

        double median = _loss.Median();
        double medianFake = _fake.Median();
        string fakeText = double.IsNaN(medianFake) ? "" : $", D(G(z)) = {F(medianFake)}";
        if (!Active && Math.Abs(median) <= RaiseLevel)
        {
            bool rejected = median < 0;
            string message = rejected
                ? $"the generator's loss has collapsed to {F(median)} over the last {Window} steps{fakeText}: the discriminator rejects every fake, " +
                  "log(1 - D(G(z))) saturates at 0 and the generator's gradient vanishes, so it learns nothing"
                : $"the generator's loss has collapsed to {F(median)} over the last {Window} steps{fakeText}: the discriminator accepts every fake " +
                  "and has stopped telling real from generated, so it no longer guides the generator";
            return Raise(step, HealthSeverity.Severe, message, rejected ? VanishingFix : FooledFix, ("g_loss", median), ("d_fake", medianFake));
        }
        if (Active && Math.Abs(median) > ClearLevel)
            return Clear(step, $"the generator's loss is back to {F(median)} over the last {Window} steps{fakeText}", ("g_loss", median), ("d_fake", medianFake));
        return null;
    }
}
