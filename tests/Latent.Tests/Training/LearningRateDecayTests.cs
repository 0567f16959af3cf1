using Latent.Runtime;
using Latent.Training;

namespace Latent.Tests.Training;

public class LearningRateDecayTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(9, 1.0)]
    [InlineData(10, 0.5)]
    [InlineData(19, 0.5)]
    [InlineData(20, 0.25)]
    [InlineData(35, 0.125)]
    public void FactorIsGammaToTheNumberOfWholePeriods(long step, double factor)
    {
        Assert.Equal(factor, new LearningRateDecay(0.5, 10).FactorAfter(step));
    }

    [Fact]
    public void SetsEveryGroupsLearningRateOnARealOptimizerAtEachPeriod()
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(_ => 0, learningRate: 0.2);
        var decay = new LearningRateDecay(0.9, every: 4);
        var context = new TrainingContext(model, TotalSteps: 12, FirstStep: 1);
        var group = model.Optimizers["optimizer"].ParamGroups.Single();

        decay.OnStart(context);
        var seen = new List<double> { group.LearningRate };
        for (long step = 1; step <= 12; step++)
        {
            decay.OnStep(context, step, new StepMetrics());
            seen.Add(group.LearningRate);
        }

        // After steps 0…3: 0.2; 4…7: 0.2·0.9; 8…11: 0.2·0.81; 12: 0.2·0.729.
        double[] expected = [.. Enumerable.Range(0, 13).Select(s => 0.2 * Math.Pow(0.9, s / 4))];
        Assert.Equal(expected.Length, seen.Count);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], seen[i], 1e-12);
        Assert.Equal(0.2, group.InitialLearningRate, 1e-12);
    }

    [Fact]
    public void AResumedRunStartsOnTheScheduleOfItsFirstStep()
    {
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(_ => 0, learningRate: 1.0);
        var decay = new LearningRateDecay(0.5, every: 10);

        decay.OnStart(new TrainingContext(model, TotalSteps: 100, FirstStep: 31)); // 30 steps done: 3 periods

        Assert.Equal(0.125, model.Optimizers["optimizer"].ParamGroups.Single().LearningRate, 1e-12);
    }

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(1.5, 1)]
    [InlineData(0.5, 0)]
    public void GammaOutsideZeroToOneOrEveryBelowOneIsRefused(double gamma, long every)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateDecay(gamma, every));
    }
}
