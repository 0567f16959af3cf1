using Latent.Diagnostics;
using Latent.Training;

namespace Latent.Tests.Diagnostics;

/// <summary>Hand-made metric series for the detectors: each step's figures from functions of the step, with seeded noise.</summary>
internal static class MetricSeries
{
    /// <summary>Figures of steps 1..<paramref name="steps"/>, each figure a function of the step and a standard normal draw.</summary>
    public static IEnumerable<(long Step, StepMetrics Metrics)> Make(long steps, int seed, params (string Name, Func<long, double, double> Value)[] figures)
    {
        var random = new Random(seed);
        for (long step = 1; step <= steps; step++)
        {
            var metrics = new StepMetrics();
            foreach (var (name, value) in figures)
                metrics.Add(name, value(step, Normal(random)));
            yield return (step, metrics);
        }
    }

    /// <summary>Every event <paramref name="detector"/> gives over <paramref name="series"/>.</summary>
    public static List<HealthFinding> Run(IStepDetector detector, IEnumerable<(long Step, StepMetrics Metrics)> series) =>
        [.. series.Select(s => detector.Observe(s.Step, s.Metrics)).OfType<HealthFinding>()];

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
