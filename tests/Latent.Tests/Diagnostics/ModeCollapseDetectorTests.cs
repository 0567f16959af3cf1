using Latent.Diagnostics;
using Latent.Evaluation;

namespace Latent.Tests.Diagnostics;

public class ModeCollapseDetectorTests
{
    private const double RealSpread = 2.5;

    /// <summary>A reading of 500 samples on an 8-mode ring with the given spread ratio and per-mode counts of high-quality samples.</summary>
    private static DiversityReading Ring(double spreadRatio, params int[] perMode)
    {
        int highQuality = perMode.Sum();
        double kl = highQuality == 0 ? double.NaN : perMode.Where(c => c > 0).Sum(c => (double)c / highQuality * Math.Log((double)c / highQuality * perMode.Length));
        var modes = new ModeCoverageResult(perMode.Count(c => c > 0), perMode.Length, highQuality / 500.0, kl, perMode);
        return new DiversityReading(500, spreadRatio * RealSpread, RealSpread, modes, null);
    }

    private static DiversityReading Images(double spreadRatio, params long[] perClass) => new(500, spreadRatio * 10, 10, null, perClass);

    private static List<HealthFinding> Run(IEnumerable<DiversityReading> readings)
    {
        var detector = new ModeCollapseDetector();
        return [.. readings.Select((r, i) => detector.Observe(100L * (i + 1), r)).OfType<HealthFinding>()];
    }

    [Fact]
    public void AGeneratorSpreadingOverEveryModeRaisesNothing()
    {
        var events = Run([
            Ring(0.2, 0, 0, 0, 0, 0, 0, 0, 0), Ring(0.9, 1, 0, 2, 1, 0, 3, 1, 1), Ring(1.0, 10, 8, 12, 9, 11, 10, 7, 9),
            Ring(0.98, 40, 35, 50, 38, 42, 44, 36, 41), Ring(0.99, 45, 48, 44, 47, 46, 42, 49, 45)]);

        Assert.Empty(events);
    }

    [Fact]
    public void SamplesFallingOntoTwoModesAreRaisedAfterTwoReadings()
    {
        var events = Run([
            Ring(0.95, 10, 8, 12, 9, 11, 10, 7, 9), Ring(0.94, 12, 10, 11, 9, 10, 12, 9, 10),
            Ring(0.5, 0, 0, 90, 80, 0, 0, 0, 0), Ring(0.3, 0, 0, 120, 130, 0, 0, 0, 0), Ring(0.25, 0, 0, 1, 250, 0, 0, 0, 0)]);

        var raised = Assert.Single(events);
        Assert.Equal(HealthIssue.ModeCollapse, raised.Issue);
        Assert.Equal(400, raised.Step);
        Assert.Contains("sit on 2 of 8 modes", raised.Message);
        Assert.Contains("0 0 120 130 0 0 0 0", raised.Message);
        Assert.Contains("pairwise distance is 0.3 of the real data's", raised.Message);
        Assert.Contains("minibatch discrimination", raised.Fix);
    }

    [Fact]
    public void AGeneratorThatNeverSpreadOutIsNotACollapse()
    {
        // The untrained generator maps every code near one point; that is a generator not yet trained, not diversity lost.
        var events = Run([Ring(0.1, 0, 0, 0, 0, 0, 0, 0, 0), Ring(0.12, 0, 0, 0, 0, 0, 0, 0, 0), Ring(0.15, 0, 0, 1, 0, 0, 0, 0, 0)]);

        Assert.Empty(events);
    }

    [Fact]
    public void OneCollapsedReadingRaisesNothingAndRecoveryClears()
    {
        var blip = Run([Ring(0.95, 10, 8, 12, 9, 11, 10, 7, 9), Ring(0.3, 0, 0, 120, 130, 0, 0, 0, 0), Ring(0.95, 10, 8, 12, 9, 11, 10, 7, 9)]);
        var episode = Run([
            Ring(0.95, 10, 8, 12, 9, 11, 10, 7, 9), Ring(0.3, 0, 0, 120, 130, 0, 0, 0, 0), Ring(0.3, 0, 0, 120, 130, 0, 0, 0, 0),
            Ring(0.95, 10, 8, 12, 9, 11, 10, 7, 9), Ring(0.96, 10, 8, 12, 9, 11, 10, 7, 9)]);

        Assert.Empty(blip);
        Assert.Equal(2, episode.Count);
        Assert.True(episode[1].Cleared);
        Assert.Equal(500, episode[1].Step);
    }

    [Fact]
    public void AClassHistogramThatNarrowsIsACollapseButOneThatStartsNarrowIsNot()
    {
        // Early blurry samples are one or two classes to a classifier; a collapse is a histogram that narrows later.
        var warmingUp = Run([Images(0.8, 300, 0, 0, 0, 0, 0, 0, 0, 200, 0), Images(0.9, 250, 50, 0, 0, 0, 0, 0, 0, 200, 0),
                             Images(0.95, 60, 50, 40, 50, 50, 60, 40, 50, 60, 40)]);
        var collapsing = Run([Images(0.95, 60, 50, 40, 50, 50, 60, 40, 50, 60, 40), Images(0.9, 0, 0, 0, 400, 0, 0, 0, 100, 0, 0),
                              Images(0.85, 0, 0, 0, 450, 0, 0, 0, 50, 0, 0)]);

        Assert.Empty(warmingUp);
        var raised = Assert.Single(collapsing);
        Assert.Contains("the classifier sees 2 of 10 classes", raised.Message);
    }
}
