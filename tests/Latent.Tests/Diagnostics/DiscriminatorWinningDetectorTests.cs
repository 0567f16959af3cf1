using Latent.Diagnostics;
using Latent.Training;

namespace Latent.Tests.Diagnostics;

public class DiscriminatorWinningDetectorTests
{
    // The tutorial's healthy balance with per-step noise: D(x) ≈ 0.65, D(G(z)) ≈ 0.4.
    private static double HealthyReal(long step, double noise) => 0.65 + 0.08 * noise;

    private static double HealthyFake(long step, double noise) => 0.40 + 0.08 * noise;

    [Fact]
    public void HealthyBalanceWithNoiseRaisesNothing()
    {
        var events = MetricSeries.Run(new DiscriminatorWinningDetector(),
            MetricSeries.Make(3000, seed: 1, ("d_real", HealthyReal), ("d_fake", HealthyFake), ("g_grad_norm", (_, n) => 0.5 + 0.1 * n)));

        Assert.Empty(events);
    }

    [Fact]
    public void DiscriminatorWinningWithVanishingGradientIsRaisedOnceAndClearedOnce()
    {
        // Steps 1-200 balanced, 201-700 D(x) → 1 and D(G(z)) → 0 while the generator's gradient shrinks, then balanced again.
        bool Winning(long step) => step is > 200 and <= 700;
        var events = MetricSeries.Run(new DiscriminatorWinningDetector(),
            MetricSeries.Make(1200, seed: 2,
                ("d_real", (s, n) => Winning(s) ? 0.999 : HealthyReal(s, n)),
                ("d_fake", (s, n) => Winning(s) ? 0.001 : HealthyFake(s, n)),
                ("g_grad_norm", (s, n) => Winning(s) ? 0.004 : 0.5 + 0.05 * n)));

        Assert.Equal(2, events.Count);
        var raised = events[0];
        Assert.Equal(HealthIssue.DiscriminatorWinning, raised.Issue);
        Assert.False(raised.Cleared);
        // The window's median crosses once more than half of its 50 steps are the winning ones.
        Assert.Equal(226, raised.Step); // 26 winning steps of 50: both middle values are winning ones
        Assert.Equal(HealthSeverity.Severe, raised.Severity);
        Assert.Contains("D(x) = 0.999 and D(G(z)) = 0.001", raised.Message);
        Assert.Contains("gradient norm is 0.004", raised.Message);
        Assert.Contains("non-saturating", raised.Fix);
        Assert.Contains("label smoothing", raised.Fix);
        Assert.True(events[1].Cleared);
        Assert.Equal(725, events[1].Step); // 25 healthy steps of 50: the median is the mean of one healthy and one winning value
    }

    [Fact]
    public void AFewStepsOfAPerfectDiscriminatorRaiseNothing()
    {
        var events = MetricSeries.Run(new DiscriminatorWinningDetector(),
            MetricSeries.Make(600, seed: 3,
                ("d_real", (s, n) => s % 100 < 20 ? 1.0 : HealthyReal(s, n)),
                ("d_fake", (s, n) => s % 100 < 20 ? 0.0 : HealthyFake(s, n))));

        Assert.Empty(events);
    }

    [Fact]
    public void AnOnlyStrongDiscriminatorIsNotWinningOutright()
    {
        // D(x) = 0.92, D(G(z)) = 0.08: far from balance, but below the raise level (min = 0.92 < 0.95).
        var events = MetricSeries.Run(new DiscriminatorWinningDetector(),
            MetricSeries.Make(500, seed: 4, ("d_real", (_, n) => 0.92 + 0.01 * n), ("d_fake", (_, n) => 0.08 + 0.01 * n)));

        Assert.Empty(events);
    }

    [Fact]
    public void FiguresWithoutProbabilitiesAreIgnored()
    {
        var detector = new DiscriminatorWinningDetector();

        Assert.Null(detector.Observe(1, new StepMetrics().Add("loss", 0.3)));
        Assert.False(detector.Active);
    }
}
