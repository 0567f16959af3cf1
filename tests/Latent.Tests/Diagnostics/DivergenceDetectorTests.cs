using Latent.Diagnostics;

namespace Latent.Tests.Diagnostics;

public class DivergenceDetectorTests
{
    [Fact]
    public void GradientsThatWanderWithinAnOrderOfMagnitudeRaiseNothing()
    {
        // Grows tenfold over the run, as the generator's gradient of a healthy GAN may (at most 13 times measured).
        var events = MetricSeries.Run(new DivergenceDetector(),
            MetricSeries.Make(3000, 1, ("g_grad_norm", (s, n) => (0.5 + 5.0 * s / 3000) * Math.Exp(0.3 * n)), ("d_grad_norm", (_, n) => 1 + 0.2 * n)));

        Assert.Empty(events);
    }

    [Fact]
    public void ExponentialGrowthIsRaisedBeforeItOverflows()
    {
        // From step 50 the generator's gradient grows by 15% a step: ×100 after about 33 steps, float overflow after ~600.
        var events = MetricSeries.Run(new DivergenceDetector(),
            MetricSeries.Make(150, 2, ("g_grad_norm", (s, n) => 0.5 * Math.Pow(1.15, Math.Max(0, s - 50)) * Math.Exp(0.2 * n))));

        var raised = Assert.Single(events);
        Assert.Equal(HealthIssue.Divergence, raised.Issue);
        Assert.InRange(raised.Step, 80, 100);
        Assert.Contains("generator's gradient norm", raised.Message);
        Assert.Contains("lower the learning rates", raised.Fix);
    }

    [Fact]
    public void AFewHugeStepsRaiseNothing()
    {
        var events = MetricSeries.Run(new DivergenceDetector(),
            MetricSeries.Make(500, 3, ("d_grad_norm", (s, n) => s % 50 < 3 ? 1e6 : 1 + 0.1 * n)));

        Assert.Empty(events);
    }
}
