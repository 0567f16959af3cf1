using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class HistogramPlotTests
{
    [Fact]
    public void SamplesConcentratedInOneBinDrawATallBarThere()
    {
        var samples = Enumerable.Repeat(3.5, 100).ToArray();
        var options = new PlotOptions("one bin", Width: 400, Height: 300, XRange: (0, 10), ShowLegend: false);

        var canvas = HistogramPlot.Render(samples, null, options, bins: 10, range: (0, 10));

        // Density 100 / (100 · 1) = 1 in bin [3, 4); the y axis reaches 1.08, so the bar fills 1/1.08 of the height.
        var area = RenderedPlotArea.Find(canvas, (0, 10), (0, 1.08));
        var bar = area.PixelsOf(canvas, HistogramPlot.BarColor).ToList();
        Assert.NotEmpty(bar);
        Assert.All(bar, p => Assert.InRange(p.X, area.ToPixelX(3) - 1, area.ToPixelX(4) + 1));
        int barHeight = bar.Max(p => p.Y) - bar.Min(p => p.Y) + 1;
        Assert.InRange(barHeight, 0.9 * (area.Bottom - area.Top), area.Bottom - area.Top);
        Assert.True(bar.Select(p => p.X).Distinct().Count() >= (area.ToPixelX(4) - area.ToPixelX(3)) - 2);
    }

    [Fact]
    public void BarHeightsAreDensitiesOverAllFiniteSamples()
    {
        // Five finite samples (one outside the range), bin width 0.5: each bin holds 2, so 2 / (5 · 0.5) = 0.8.
        double[] finite = [0.1, 0.2, 0.6, 1.0, 5.0];

        double[] heights = HistogramPlot.BinDensities(finite, bins: 2, range: (0, 1));

        Assert.Equal([0.8, 0.8], heights);
    }

    [Fact]
    public void TargetDensityIsDrawnInBlueAndListedAsTarget()
    {
        var samples = Enumerable.Range(0, 200).Select(i => i / 200.0).ToArray();

        var canvas = HistogramPlot.Render(samples, x => x is >= 0 and <= 1 ? 1 : 0, new PlotOptions(Width: 400, Height: 300), bins: 10);

        Assert.True(CanvasTests.InkPixels(canvas).Count(p => canvas.GetPixel(p.X, p.Y) == Rgb.Blue) > 100);
    }

    [Fact]
    public void NonFiniteSamplesAndDensityValuesAreSkipped()
    {
        double[] samples = [double.NaN, double.PositiveInfinity, 0.5, 0.6];

        var canvas = HistogramPlot.Render(samples, x => x < 0.55 ? double.NaN : 1, new PlotOptions(Width: 300, Height: 200), bins: 4);

        Assert.Equal(300, canvas.Width);
    }

    [Fact]
    public void OnlyNonFiniteSamplesStillRenderAPlot()
    {
        var canvas = HistogramPlot.Render([double.NaN, double.NaN], null, new PlotOptions(Width: 300, Height: 200));

        Assert.DoesNotContain(CanvasTests.InkPixels(canvas), p => p.Y > 60 && canvas.GetPixel(p.X, p.Y) == HistogramPlot.BarColor);
    }

    [Fact]
    public void EmptySamplesBadBinsAndReversedRangesAreRefused()
    {
        var options = new PlotOptions();

        Assert.Contains("samples is empty", Assert.Throws<ArgumentException>(() => HistogramPlot.Render([], null, options)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => HistogramPlot.Render([1.0], null, options, bins: 0));
        Assert.Contains("range is (2, 1)", Assert.Throws<ArgumentException>(() => HistogramPlot.Render([1.0], null, options, range: (2, 1))).Message);
    }
}
