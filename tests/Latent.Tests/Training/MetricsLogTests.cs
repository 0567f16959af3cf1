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
