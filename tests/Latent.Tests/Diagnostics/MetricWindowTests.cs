using Latent.Diagnostics;

namespace Latent.Tests.Diagnostics;

public class MetricWindowTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(50)]
    public void TheMedianKeptAsValuesComeAndGoIsTheMedianOfTheWindowSorted(int capacity)
    {
        // Repeats, infinities and NaN among ordinary values, through several refills of the window.
        var random = new Random(capacity);
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.5, 0.5, -0.0, 0.0];
        var window = new MetricWindow(capacity);
        var recent = new List<double>();
        for (int i = 0; i < 20 * capacity + 30; i++)
        {
            double value = random.Next(6) == 0 ? specials[random.Next(specials.Length)] : Math.Round(random.NextDouble() * 4 - 2, 1);
            window.Add(value);
            recent.Add(value);
            if (recent.Count > capacity)
                recent.RemoveAt(0);

            var sorted = recent.ToArray();
            Array.Sort(sorted);
            int middle = sorted.Length / 2;
            double expected = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
            Assert.Equal(expected, window.Median());
            Assert.Equal(recent, window.ToArray());
        }

        window.Clear();
        Assert.True(double.IsNaN(window.Median()));
        window.Add(3);
        Assert.Equal(3, window.Median());
    }
}
