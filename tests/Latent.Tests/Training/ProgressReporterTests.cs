using Latent.Runtime;
using Latent.Training;

namespace Latent.Tests.Training;

public class ProgressReporterTests
{
    [Fact]
    public void PlainModePrintsALineEveryTenthOfTheRunAndAtTheEnd()
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(step => step / 4.0);
        var output = new StringWriter();

        new Trainer([new ProgressReporter(output, live: false)]).Fit(model, new CountingBatches(), 25);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(13, lines.Length); // steps 2, 4, …, 24 and 25
        Assert.StartsWith("step  2/25", lines[0]);
        Assert.StartsWith("step 25/25", lines[^1]);
        Assert.Contains("steps/s", lines[^1]);
        Assert.Contains("loss 6.25", lines[^1]);
        Assert.Contains("eta", lines[0]);
        Assert.DoesNotContain("eta", lines[^1]);
    }

    [Fact]
    public void ShownNamesFilterTheFiguresAndLineEverySetsThePeriod()
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(_ => 0.5);
        var output = new StringWriter();

        new Trainer([new ProgressReporter(output, live: false, lineEvery: 3, shown: ["other"])]).Fit(model, new CountingBatches(), 7);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length); // steps 3, 6 and 7
        Assert.All(lines, line => Assert.Contains("other 1", line));
        Assert.All(lines, line => Assert.DoesNotContain("loss", line));
    }

    [Fact]
    public void AStatusIsShownAfterTheTimeLeftAndBeforeTheFigures()
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(_ => 0.5);
        var output = new StringWriter();
        string status = "ok";
        var reporter = new ProgressReporter(output, live: false, lineEvery: 5, status: () => status);

        new Trainer([new PeriodicAction(10, _ => status = "D winning"), reporter]).Fit(model, new CountingBatches(), 20);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^step  5/20 .* eta \S+  health ok  loss 0.5  other 1$", lines[0].TrimEnd());
        Assert.EndsWith("steps/s  health D winning  loss 0.5  other 1", lines[^1].TrimEnd());
    }

    [Fact]
    public void LiveModeRewritesOneLineAndEndsItWithANewline()
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(_ => 1);
        var output = new StringWriter();

        new Trainer([new ProgressReporter(output, live: true)]).Fit(model, new CountingBatches(), 5);

        string text = output.ToString();
        Assert.StartsWith("\r", text);
        Assert.Contains("step 5/5", text);
        Assert.EndsWith("\u001b[K" + Environment.NewLine, text);
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
