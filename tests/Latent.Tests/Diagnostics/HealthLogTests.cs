using Latent.Diagnostics;
using Latent.Tests.Imaging;

namespace Latent.Tests.Diagnostics;

public class HealthLogTests
{
    private static readonly HealthFinding Raised = new(HealthIssue.DiscriminatorWinning, 120, HealthSeverity.Severe,
        "D(x) = 0.999 \"too\" high", "use gan.loss=non-saturating") { Figures = [new("d_real", 0.999), new("d_fake", double.NaN)] };

    [Fact]
    public void ALineHoldsStepEventIssueFiguresMessageAndFixInThatOrder()
    {
        Assert.Equal("{\"step\":120,\"event\":\"raised\",\"issue\":\"discriminator_winning\",\"severity\":\"severe\",\"d_real\":0.999,\"d_fake\":null," +
                     "\"message\":\"D(x) = 0.999 \\\"too\\\" high\",\"fix\":\"use gan.loss=non-saturating\"}", HealthLog.Line(Raised));
    }

    [Fact]
    public void EventsRoundTripThroughTheFile()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "health.jsonl");
        var cleared = new HealthFinding(HealthIssue.DiscriminatorWinning, 900, HealthSeverity.Severe, "back to D(x) = 0.7", "") { Cleared = true };

        HealthLog.Append(path, Raised);
        HealthLog.Append(path, cleared);
        var events = HealthLog.Read(path);

        Assert.Equal(2, events.Count);
        Assert.Equal((Raised.Issue, Raised.Step, Raised.Severity, Raised.Message, Raised.Fix, false), (events[0].Issue, events[0].Step, events[0].Severity, events[0].Message, events[0].Fix, events[0].Cleared));
        Assert.Equal(0.999, events[0].Figures[0].Value);
        Assert.True(double.IsNaN(events[0].Figures[1].Value));
        Assert.True(events[1].Cleared);
        Assert.Equal(900, events[1].Step);
    }

    [Fact]
    public void AMalformedLineNamesFileAndLine()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "health.jsonl");
        File.WriteAllText(path, HealthLog.Line(Raised) + "\n{\"step\":5,\"event\":\"raised\",\"issue\":\"bad_issue\",\"message\":\"m\"}\n");

        var error = Assert.Throws<InvalidDataException>(() => HealthLog.Read(path));

        Assert.Contains($"{path}, line 2", error.Message);
        Assert.Contains("unknown health issue \"bad_issue\"", error.Message);
    }
}
