using Latent.Diagnostics;

namespace Latent.Tests.Diagnostics;

public class HealthSummaryTests
{
    private static HealthFinding Raise(HealthIssue issue, long step, string message, HealthSeverity severity = HealthSeverity.Warning) =>
        new(issue, step, severity, message, "the fix for " + HealthIssues.Name(issue));

    private static HealthFinding Clear(HealthIssue issue, long step) => new(issue, step, HealthSeverity.Warning, "over", "") { Cleared = true };

    [Fact]
    public void NoEventsIsNoProblemWithWhatWasChecked() =>
        Assert.Equal("health: no problems found (checked: oscillation)", HealthSummary.Describe([], "checked: oscillation"));

    [Fact]
    public void EachIssueIsOneParagraphWithItsSpansFirstMessageAndFix()
    {
        var events = new[]
        {
            Raise(HealthIssue.DiscriminatorWinning, 100, "D wins", HealthSeverity.Severe),
            Raise(HealthIssue.ModeCollapse, 400, "two modes"),
            Clear(HealthIssue.DiscriminatorWinning, 950),
            Raise(HealthIssue.DiscriminatorWinning, 1200, "D wins again"),
            Clear(HealthIssue.DiscriminatorWinning, 1300),
        };

        string summary = HealthSummary.Describe(events);

        Assert.Equal(
            "health: 2 problems during training\n" +
            "  discriminator winning (severe), steps 100-950, 1200-1300: D wins\n" +
            "    fix: the fix for discriminator_winning\n" +
            "  mode collapse, step 400 to the end: two modes\n" +
            "    fix: the fix for mode_collapse", summary.ReplaceLineEndings("\n"));
        Assert.Equal([HealthIssue.ModeCollapse], HealthSummary.Active(events).Select(e => e.Issue));
    }
}
