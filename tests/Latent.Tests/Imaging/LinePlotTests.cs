using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class LinePlotTests
{
    private static readonly Rgb Curve = new(10, 200, 30);

    [Fact]
    public void NonFinitePointsAreSkippedAndTheirNeighboursJoined()
    {
        var options = new PlotOptions(Width: 400, Height: 300, XRange: (0, 2), YRange: (0, 2), ShowLegend: false);

        var canvas = LinePlot.Render([new LineSeries("loss", [0, 1, 2], [0, double.NaN, 2], Curve)], options);

        var area = RenderedPlotArea.Find(canvas, (0, 2), (0, 2));
        // The line from (0, 0) to (2, 2) passes through (1, 1), where the NaN point was.
        int x = (int)Math.Round(area.ToPixelX(1)), y = (int)Math.Round(area.ToPixelY(1));
        Assert.Contains(area.PixelsOf(canvas, Curve), p => Math.Abs(p.X - x) <= 1 && Math.Abs(p.Y - y) <= 1);
        Assert.All(area.PixelsOf(canvas, Curve), p => Assert.True(Math.Abs((p.X - area.Left) / (double)(area.Right - 1 - area.Left) - (area.Bottom - 1 - p.Y) / (double)(area.Bottom - 1 - area.Top)) < 0.02));
    }

    [Fact]
    public void EachSeriesIsDrawnInItsColor()
    {
        var canvas = LinePlot.Render(
            [new LineSeries("d_loss", [0, 1, 2], [1, 2, 1], Rgb.ForSeries(0)), new LineSeries("g_loss", [0, 1, 2], [3, 2, 3], Rgb.ForSeries(1))],
            new PlotOptions("losses", "step", "loss", Width: 400, Height: 300));

        var ink = CanvasTests.InkPixels(canvas);
        Assert.Contains(ink, p => canvas.GetPixel(p.X, p.Y) == Rgb.ForSeries(0));
        Assert.Contains(ink, p => canvas.GetPixel(p.X, p.Y) == Rgb.ForSeries(1));
    }

    [Fact]
    public void MismatchedLengthsAndEmptySeriesAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => LinePlot.Render([new LineSeries("loss", [0, 1], [0], Curve)], new PlotOptions()));
        Assert.Contains("series[0] \"loss\": X has 2 values but Y has 1", error.Message);

        Assert.Throws<ArgumentException>(() => LinePlot.Render([], new PlotOptions()));
    }
}
