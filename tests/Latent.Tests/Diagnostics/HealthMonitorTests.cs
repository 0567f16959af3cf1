using Latent.Diagnostics;
using Latent.Recipes;
using Latent.Runtime;
using Latent.Tests.Imaging;
using Latent.Tests.Training;
using Latent.Training;

namespace Latent.Tests.Diagnostics;

public class HealthMonitorTests
{
    public static TheoryData<string> WatchedRuns => ["wgangp8g", "gan8g-dropout-batchnorm-ema"];

    private static Recipe Short(string run) => run switch
    {
        // A Wasserstein critic: both probes, and the slope probe's backward pass through a critic with dropout, which
        // must be back in training mode (and its masks drawn as before) when the next step comes.
        "wgangp8g" => Presets.Get("wgangp8g") with
        {
            Steps = 40, Seed = 5,
            Gan = Presets.Get("wgangp8g").Gan with { Discriminator = Presets.Get("wgangp8g").Gan.Discriminator with { Dropout = 0.2 } },
        },
        // Networks that behave differently in evaluation mode, and an EMA copy that samples: a probe that forgot to restore
        // training mode, or drew dropout masks from libtorch's global generator, would change the next steps.
        _ => Presets.Get("gan8g") with
        {
            Steps = 40, Seed = 6,
            Gan = Presets.Get("gan8g").Gan with
            {
                Ema = 0.9,
                Generator = new() { Hidden = [32], BatchNorm = true },
                Discriminator = new() { Hidden = [32], Dropout = 0.3 },
            },
        },
    };

    [Theory]
    [MemberData(nameof(WatchedRuns))]
    public void MetricsAreByteIdenticalWithAndWithoutTheMonitor(string run)
    {
        using var folder = new TemporaryFolder();
        string plain = Path.Combine(folder.Path, "plain.jsonl"), watched = Path.Combine(folder.Path, "watched.jsonl");
        using (var built = RecipeBuilder.Build(Short(run)))
            built.Fit([new MetricsLog(plain)]);

        using (var built = RecipeBuilder.Build(Short(run)))
        {
            // Probes every 4 steps: ten readings of each probe in the 40 steps.
            using var monitor = HealthMonitor.For(built, folder.Path, new HealthOptions { ProbeEvery = 4, DiversitySamples = 64, SlopeSamples = 32 });
            built.Fit([new MetricsLog(watched), monitor]);
        }

        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(watched));
        Assert.Equal(40, File.ReadAllLines(watched).Length);
    }

    [Fact]
    public void ForPicksTheChecksThatFitTheLoss()
    {
        static HealthIssue[] Issues(Recipe recipe)
        {
            using var built = RecipeBuilder.Build(recipe with { Steps = 10 });
            using var monitor = HealthMonitor.For(built, runFolder: null);
            return [.. monitor.Detectors.Select(d => d.Issue)];
        }

        Assert.Equal([HealthIssue.DiscriminatorWinning, HealthIssue.GeneratorCollapse, HealthIssue.Oscillation, HealthIssue.Divergence, HealthIssue.ModeCollapse],
                     Issues(Presets.Get("gan8g")));
        Assert.Equal([HealthIssue.Oscillation, HealthIssue.Divergence, HealthIssue.ModeCollapse, HealthIssue.LipschitzLost],
                     Issues(Presets.Get("wgangp8g")));
        Assert.Equal([HealthIssue.Oscillation, HealthIssue.Divergence, HealthIssue.ModeCollapse],
                     Issues(Presets.Get("gan8g") with { Gan = Presets.Get("gan8g").Gan with { Loss = "hinge" } }));
        Assert.Equal([HealthIssue.GeneratorCollapse, HealthIssue.Oscillation, HealthIssue.Divergence, HealthIssue.ModeCollapse],
                     Issues(Presets.Get("gan8g") with { Gan = Presets.Get("gan8g").Gan with { Loss = "least-squares" } }));
        Assert.Equal([HealthIssue.PosteriorCollapse], Issues(Presets.Get("vae2d")));
        Assert.Empty(Issues(Presets.Get("ae2d")));
    }

    [Fact]
    public void AnAutoencoderIsNotWatchedAndGetsNoLog()
    {
        using var folder = new TemporaryFolder();
        using var built = RecipeBuilder.Build(Presets.Get("ae2d") with { Steps = 5 });
        using var monitor = HealthMonitor.For(built, folder.Path);

        built.Fit([monitor]);

        Assert.Empty(monitor.Detectors);
        Assert.Equal("ok", monitor.Status);
        Assert.False(File.Exists(Path.Combine(folder.Path, RunFolder.HealthFile)));
        Assert.Null(HealthSummary.OfRun(folder.Path));
    }

    [Fact]
    public void StatusNamesTheOpenIssueUntilItClears()
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(_ => 0);
        var context = new TrainingContext(model, 400, 1);
        var monitor = new HealthMonitor([new DiscriminatorWinningDetector()]);
        monitor.OnStart(context);
        var statuses = new List<string>();

        foreach (var (step, metrics) in MetricSeries.Make(400, 1, ("d_real", (s, _) => s is > 100 and <= 200 ? 0.999 : 0.6), ("d_fake", (s, _) => s is > 100 and <= 200 ? 0.001 : 0.4)))
        {
            monitor.OnStep(context, step, metrics);
            statuses.Add(monitor.Status);
        }

        Assert.Equal("ok", statuses[99]);
        Assert.Equal("D winning", statuses[199]);
        Assert.Equal("ok", statuses[^1]);
        Assert.Equal(2, monitor.Events.Count);
        Assert.Contains("discriminator winning (severe), steps 126-225: ", monitor.Summary());
    }

    [Fact]
    public void AResumedRunKeepsItsEarlierEventsDropsLaterOnesAndDoesNotRaiseAgain()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        string log = Path.Combine(folder.Path, RunFolder.HealthFile), metricsPath = Path.Combine(folder.Path, RunFolder.MetricsFile);
        // The first process: D wins from step 100 on; it checkpointed at step 300 and wrote up to step 340 before it died.
        static bool Winning(long step) => step is > 100 and <= 400;
        var series = MetricSeries.Make(600, 2, ("d_real", (s, n) => Winning(s) ? 0.999 : 0.6 + 0.05 * n), ("d_fake", (s, n) => Winning(s) ? 0.001 : 0.4 + 0.05 * n)).ToList();
        var raised = new HealthFinding(HealthIssue.DiscriminatorWinning, 126, HealthSeverity.Severe, "D wins", DiscriminatorWinningDetector.Fix);
        var stale = new HealthFinding(HealthIssue.Oscillation, 320, HealthSeverity.Warning, "written after the checkpoint", "fix");
        File.WriteAllText(log, HealthLog.Line(raised) + "\n" + HealthLog.Line(stale) + "\n");
        File.WriteAllLines(metricsPath, series.Take(340).Select(s => JsonLine.Of(s.Step, s.Metrics.Values)));

        using var model = new ScriptedModel(_ => 0);
        var context = new TrainingContext(model, 600, FirstStep: 301);
        var monitor = new HealthMonitor([new DiscriminatorWinningDetector()], logPath: log, metricsPath: metricsPath);
        monitor.OnStart(context);
        Assert.Equal("D winning", monitor.Status);
        foreach (var (step, metrics) in series.Skip(300))
            monitor.OnStep(context, step, metrics);

        var events = HealthLog.Read(log);
        Assert.Equal(2, events.Count);
        Assert.Equal((126L, false), (events[0].Step, events[0].Cleared));
        // Replayed windows make the clearing fall where an uninterrupted run's does: 25 steps into the healthy stretch.
        Assert.Equal((425L, true), (events[1].Step, events[1].Cleared));
        Assert.Equal(events.Count, monitor.Events.Count);
    }
}
