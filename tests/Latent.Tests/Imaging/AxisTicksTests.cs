using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class AxisTicksTests
{
    [Theory]
    [InlineData(-0.3, 2.7, 300)]
    [InlineData(0, 1, 400)]
    [InlineData(-4.6, 4.6, 400)]
    [InlineData(0, 30000, 560)]
    [InlineData(0.001, 0.0013, 400)]
    public void TicksAreRoundMultiplesSpacedForTheirLabels(double min, double max, int pixels)
    {
        var ticks = AxisTicks.Choose(min, max, pixels, _ => 40);

        Assert.True(ticks.Values.Length >= 2, $"only {ticks.Values.Length} ticks");
        double step = ticks.Values[1] - ticks.Values[0];
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2.0, 5.0 });
        Assert.All(ticks.Values, value => Assert.InRange(value, min - 1e-12, max + 1e-12));
        Assert.All(ticks.Values, value => Assert.Equal(0, Math.Abs(value / step - Math.Round(value / step)), 1e-6));
        Assert.True(step / (max - min) * pixels >= 40);
    }

    [Fact]
    public void LabelsShowTheStepsDecimalsWithoutFloatingPointNoise()
    {
        var ticks = AxisTicks.Choose(0, 1, 600, _ => 50);

        Assert.Equal(["0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0"], ticks.Labels);
    }

    [Fact]
    public void TinyAndHugeValuesUseScientificNotation()
    {
        Assert.Equal(["0", "2e-5", "4e-5", "6e-5", "8e-5", "1e-4"], AxisTicks.Choose(0, 1e-4, 400, _ => 60).Labels);
        Assert.Equal(["0", "2e6", "4e6", "6e6", "8e6", "1e7"], AxisTicks.Choose(0, 1e7, 400, _ => 60).Labels);
    }

    [Fact]
    public void ScientificLabelsKeepTheDigitsThatTellNeighboursApart()
    {
        var ticks = AxisTicks.Choose(-2e6, -1.97e6, 300, _ => 40);

        Assert.Equal(ticks.Labels.Length, ticks.Labels.Distinct().Count());
        Assert.True(ticks.Labels.Contains("-1.99e6"), string.Join(" ", ticks.Labels));
    }

    [Fact]
    public void WideLabelsGetFewerTicks()
    {
        var narrow = AxisTicks.Choose(0, 100, 400, _ => 20);
        var wide = AxisTicks.Choose(0, 100, 400, _ => 120);

        Assert.True(wide.Values.Length < narrow.Values.Length);
    }
}
