using Latent.Diagnostics;

namespace Latent.Tests.Diagnostics;

public class OscillationDetectorTests
{
    [Fact]
    public void SinusoidalBalanceWithoutTrendIsRaisedWithItsPeriod()
    {
        // D(G(z)) = 0.5 + 0.08·sin(2πt/80) + step noise 0.03: the cycle gan1d shows at Adam (0.9, 0.999), lr 0.01.
        var events = MetricSeries.Run(new OscillationDetector(scoresAreProbabilities: true),
            MetricSeries.Make(1000, 1, ("d_fake", (s, n) => 0.5 + 0.08 * Math.Sin(2 * Math.PI * s / 80) + 0.03 * n)));

        var raised = Assert.Single(events);
        Assert.Equal(HealthIssue.Oscillation, raised.Issue);
        Assert.Equal(450, raised.Step); // the first full window is judged at 400, the second in a row at 450
        Assert.InRange(raised.Figures.Single(f => f.Key == "period_steps").Value, 70, 90);
        Assert.Contains("cycled up and down", raised.Message);
        Assert.Contains("betas (0.5, 0.999)", raised.Fix);
    }

    [Fact]
    public void NoiseAroundABalanceRaisesNothing()
    {
        var events = MetricSeries.Run(new OscillationDetector(scoresAreProbabilities: true),
            MetricSeries.Make(3000, 2, ("d_fake", (_, n) => 0.45 + 0.05 * n)));

        Assert.Empty(events);
    }

    [Fact]
    public void ATrendWithNoiseRaisesNothing()
    {
        // Converging: D(G(z)) falls from 0.5 to 0.3 over the run, curving, with noise.
        var events = MetricSeries.Run(new OscillationDetector(scoresAreProbabilities: true),
            MetricSeries.Make(3000, 3, ("d_fake", (s, n) => 0.3 + 0.2 * Math.Exp(-s / 800.0) + 0.04 * n)));

        Assert.Empty(events);
    }

    [Fact]
    public void ACycleTooSmallToMatterRaisesNothing()
    {
        // Periodic, but ±0.005 in D(G(z)): below the 0.02 swing a cycle must have.
        var events = MetricSeries.Run(new OscillationDetector(scoresAreProbabilities: true),
            MetricSeries.Make(1500, 4, ("d_fake", (s, n) => 0.5 + 0.007 * Math.Sin(2 * Math.PI * s / 100) + 0.002 * n)));

        Assert.Empty(events);
    }

    [Fact]
    public void ACyclingWassersteinEstimateIsJudgedRelativeToItsSize()
    {
        // A critic's gap swinging by half its size with a period of 140 steps, as WGAN-GP does at lr 0.01 with β₁ 0.9.
        var cycling = MetricSeries.Run(new OscillationDetector(scoresAreProbabilities: false),
            MetricSeries.Make(1200, 5, ("wasserstein", (s, n) => 1.5 + 0.9 * Math.Sin(2 * Math.PI * s / 140) + 0.3 * n)));
        var steady = MetricSeries.Run(new OscillationDetector(scoresAreProbabilities: false),
            MetricSeries.Make(1200, 6, ("wasserstein", (s, n) => 0.4 * Math.Exp(-s / 1000.0) + 0.1 + 0.05 * n)));

        Assert.Equal(HealthIssue.Oscillation, Assert.Single(cycling).Issue);
        Assert.Empty(steady);
    }

    [Fact]
    public void TheCycleEndingClearsTheIssueAfterThreeQuietWindows()
    {
        var events = MetricSeries.Run(new OscillationDetector(scoresAreProbabilities: true),
            MetricSeries.Make(2000, 7, ("d_fake", (s, n) => 0.5 + (s <= 800 ? 0.08 * Math.Sin(2 * Math.PI * s / 80) : 0) + 0.02 * n)));

        Assert.Equal(2, events.Count);
        Assert.True(events[1].Cleared);
        Assert.InRange(events[1].Step, 1150, 1300);
    }
}
