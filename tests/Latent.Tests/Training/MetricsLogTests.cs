using Latent.Runtime;
using Latent.Tests.Imaging;
using Latent.Training;

namespace Latent.Tests.Training;

public class MetricsLogTests
{
    [Fact]
    public void WritesOneJsonObjectPerStepWithRoundTripValuesAndNullForNonFinite()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "nested", "metrics.jsonl");
        using var model = new ScriptedModel(_ => 0);
        var log = new MetricsLog(path);
        var context = new TrainingContext(model, 2, 1);

        log.OnStart(context);
        log.OnStep(context, 1, new StepMetrics().Add("d_loss", 0.1).Add("g_loss", -2.5e-7));
        log.OnStep(context, 2, new StepMetrics().Add("d_loss", double.NaN).Add("g_loss", double.NegativeInfinity));
        log.OnEnd(context, true);

        Assert.Equal(["{\"step\":1,\"d_loss\":0.1,\"g_loss\":-2.5E-07}", "{\"step\":2,\"d_loss\":null,\"g_loss\":null}"], File.ReadAllLines(path));
    }

    [Fact]
    public void LinesAreWrittenWholeOnFlushAfterTheFlushIntervalAndAtTheEnd()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "metrics.jsonl");
        using var model = new ScriptedModel(_ => 0);
        var log = new MetricsLog(path);
        var context = new TrainingContext(model, 10, 1);
        string[] Lines() => File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        log.OnStart(context);
        log.OnStep(context, 1, new StepMetrics().Add("loss", 1));
        log.OnStep(context, 2, new StepMetrics().Add("loss", 2));
        Assert.Empty(Lines()); // collected, not yet written

        log.Flush();
        Assert.Equal(2, Lines().Length);
        Assert.EndsWith("\n", File.ReadAllText(path));

        log.OnStep(context, 3, new StepMetrics().Add("loss", 3));
        Thread.Sleep(MetricsLog.FlushInterval + TimeSpan.FromMilliseconds(50));
        log.OnStep(context, 4, new StepMetrics().Add("loss", 4)); // the interval has passed: 3 and 4 go out together
        Assert.Equal(4, Lines().Length);

        log.OnStep(context, 5, new StepMetrics().Add("loss", 5));
        log.OnEnd(context, completed: false);
        Assert.Equal(Enumerable.Range(1, 5).Select(step => $"{{\"step\":{step},\"loss\":{step}}}"), Lines());
    }

    [Fact]
    public void ANewRunReplacesTheFileAndAResumedRunAppends()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "metrics.jsonl");
        File.WriteAllText(path, "old\n");
        using var model = new ScriptedModel(step => step);

        new Trainer([new MetricsLog(path)]).Fit(model, new CountingBatches(), 2);
        Assert.Equal(2, File.ReadAllLines(path).Length);

        new Trainer([new MetricsLog(path)]).Fit(model, new CountingBatches(), 4, startStep: 2);

        var lines = File.ReadAllLines(path);
        Assert.Equal(4, lines.Length);
        Assert.Equal(["{\"step\":1,\"loss\":1,\"other\":1}", "{\"step\":4,\"loss\":4,\"other\":1}"], [lines[0], lines[3]]);
    }
}
