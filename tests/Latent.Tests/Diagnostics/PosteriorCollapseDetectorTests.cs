using Latent.Diagnostics;

namespace Latent.Tests.Diagnostics;

public class PosteriorCollapseDetectorTests
{
    [Fact]
    public void AKlTermThatStaysAwayFromZeroRaisesNothing() =>
        Assert.Empty(MetricSeries.Run(new PosteriorCollapseDetector(), MetricSeries.Make(1500, 1, ("kl", (s, n) => 0.8 - 0.3 * Math.Exp(-s / 200.0) + 0.05 * n))));

    [Fact]
    public void AKlTermFallingToZeroIsRaisedAndClearedWhenItComesBack()
    {
        var events = MetricSeries.Run(new PosteriorCollapseDetector(), MetricSeries.Make(1000, 2,
            ("kl", (s, n) => s is > 300 and <= 700 ? 1e-4 * Math.Exp(0.1 * n) : 0.7 + 0.05 * n)));

        Assert.Equal(2, events.Count);
        Assert.Equal((HealthIssue.PosteriorCollapse, 326L, false), (events[0].Issue, events[0].Step, events[0].Cleared));
        Assert.Contains("collapsed onto the prior", events[0].Message);
        Assert.Equal((725L, true), (events[1].Step, events[1].Cleared));
    }
}
