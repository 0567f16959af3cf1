using Latent.Runtime;
using Latent.Training;

namespace Latent.Tests.Training;

public class PeriodicActionTests
{
    [Fact]
    public void RunsEveryNStepsAndAtTheLastStep()
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(_ => 0);
        var calls = new List<long>();

        new Trainer([new PeriodicAction(4, calls.Add)]).Fit(model, new CountingBatches(), 10);

        Assert.Equal([4L, 8L, 10L], calls);
    }

    [Fact]
    public void EveryZeroRunsOnlyAtTheEnd()
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(_ => 0);
        var calls = new List<long>();

        new Trainer([new PeriodicAction(0, calls.Add)]).Fit(model, new CountingBatches(), 6);

        Assert.Equal([6L], calls);
    }

    [Fact]
    public void NegativePeriodIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PeriodicAction(-1, _ => { }));
    }
}
