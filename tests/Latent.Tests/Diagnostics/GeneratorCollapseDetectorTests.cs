using Latent.Diagnostics;

namespace Latent.Tests.Diagnostics;

public class GeneratorCollapseDetectorTests
{
    [Fact]
    public void HealthyGeneratorLossRaisesNothing()
    {
        // Non-saturating loss near ln 2 and minimax loss near −ln 2, as at balance.
        Assert.Empty(MetricSeries.Run(new GeneratorCollapseDetector(), MetricSeries.Make(2000, 1, ("g_loss", (_, n) => 0.7 + 0.1 * n))));
        Assert.Empty(MetricSeries.Run(new GeneratorCollapseDetector(), MetricSeries.Make(2000, 2, ("g_loss", (_, n) => -0.65 + 0.1 * n))));
    }

    [Fact]
    public void MinimaxLossSaturatingAtZeroIsAVanishingGradient()
    {
        // log(1 − D(G(z))) with D(G(z)) → 0.0005 from step 300 on.
        var events = MetricSeries.Run(new GeneratorCollapseDetector(), MetricSeries.Make(800, 3,
            ("g_loss", (s, n) => s > 300 ? -0.0005 * (1 + 0.2 * n) : -0.65 + 0.05 * n),
            ("d_fake", (s, n) => s > 300 ? 0.0005 : 0.45)));

        var raised = Assert.Single(events);
        Assert.Equal(HealthIssue.GeneratorCollapse, raised.Issue);
        Assert.InRange(raised.Step, 326, 330);
        Assert.Equal(HealthSeverity.Severe, raised.Severity);
        Assert.Contains("rejects every fake", raised.Message);
        Assert.Contains("D(G(z)) = 0.0005", raised.Message);
        Assert.Equal(GeneratorCollapseDetector.VanishingFix, raised.Fix);
    }

    [Fact]
    public void NonSaturatingLossAtZeroIsAFooledDiscriminatorAndClearsWhenItRecovers()
    {
        // −log D(G(z)) with D(G(z)) → 0.998 between steps 200 and 600.
        var events = MetricSeries.Run(new GeneratorCollapseDetector(), MetricSeries.Make(1000, 4,
            ("g_loss", (s, n) => s is > 200 and <= 600 ? 0.002 : 0.7 + 0.05 * n)));

        Assert.Equal(2, events.Count);
        Assert.Contains("accepts every fake", events[0].Message);
        Assert.Equal(GeneratorCollapseDetector.FooledFix, events[0].Fix);
        Assert.True(events[1].Cleared);
        Assert.Equal(625, events[1].Step);
    }
}
