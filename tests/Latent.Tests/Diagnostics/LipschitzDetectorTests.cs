using Latent.Diagnostics;

namespace Latent.Tests.Diagnostics;

public class LipschitzDetectorTests
{
    private static List<HealthFinding> Run(params double[] slopes)
    {
        var detector = new LipschitzDetector();
        return [.. slopes.Select((s, i) => detector.Observe(100L * (i + 1), new CriticSlopeReading(s, s, 1.5 * s))).OfType<HealthFinding>()];
    }

    [Fact]
    public void ACriticNearSlopeOneRaisesNothing() =>
        Assert.Empty(Run(0.95, 1.0, 1.17, 1.15, 1.3, 1.1, 1.8, 1.12));

    [Fact]
    public void ASlopeRunningAwayIsRaisedAsLostControl()
    {
        var events = Run(1.2, 2.6, 2.9, 4.0, 8.0, 25.0);

        var raised = Assert.Single(events);
        Assert.Equal(HealthIssue.LipschitzLost, raised.Issue);
        Assert.Equal(300, raised.Step);
        Assert.Contains("lost its Lipschitz control", raised.Message);
        Assert.Contains("2.9 on average", raised.Message);
        Assert.Equal(LipschitzDetector.SteepFix, raised.Fix);
    }

    [Fact]
    public void AClippedFlatCriticIsRaisedAsHeldBelowOne()
    {
        var raised = Assert.Single(Run(0.0009, 0.0011, 0.001));

        Assert.Contains("held far below 1-Lipschitz", raised.Message);
        Assert.Equal(LipschitzDetector.FlatFix, raised.Fix);
    }

    [Fact]
    public void ASteepCriticBroughtBackUnderControlClears()
    {
        var events = Run(3, 3, 3, 1.2, 1.1);

        Assert.Equal(2, events.Count);
        Assert.True(events[1].Cleared);
        Assert.Equal(500, events[1].Step);
    }

    [Fact]
    public void AResumedRunRestoresWhichSideWasLost()
    {
        var detector = new LipschitzDetector();
        detector.Restore(new HealthFinding(HealthIssue.LipschitzLost, 300, HealthSeverity.Warning, "steep", "fix") { Figures = [new("critic_slope", 4.0)] });

        // Still steep (2.5 is not below the clear level 1.5): a flat-side restore would have cleared at 2.5.
        Assert.Null(detector.Observe(400, new CriticSlopeReading(2.5, 2.5, 3)));
        Assert.Null(detector.Observe(500, new CriticSlopeReading(2.5, 2.5, 3)));
        Assert.True(detector.Active);
    }
}
