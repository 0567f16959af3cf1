using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class ScatterPlotTests
{
    private static readonly Rgb Marked = new(10, 200, 30);
    private static readonly PlotOptions FixedRanges = new("one point", "x", "y", Width: 400, Height: 300, XRange: (0, 10), YRange: (0, 10), ShowLegend: false);

    [Fact]
    public void PointAtAKnownDataCoordinateColorsTheExpectedPixels()
    {
        var canvas = ScatterPlot.Render([new PointSeries("p", [2.5], [7.5], Marked, Radius: 2)], FixedRanges);

        var area = RenderedPlotArea.Find(canvas, (0, 10), (0, 10));
        // A quarter of the way across and three quarters of the way up.
        double expectedX = area.ToPixelX(2.5), expectedY = area.ToPixelY(7.5);
        Assert.InRange(expectedX, area.Left + 0.24 * (area.Right - area.Left), area.Left + 0.26 * (area.Right - area.Left));
        Assert.InRange(expectedY, area.Top + 0.24 * (area.Bottom - area.Top), area.Top + 0.26 * (area.Bottom - area.Top));
        var colored = area.PixelsOf(canvas, Marked).ToList();
        Assert.Equal(21, colored.Count); // a radius-2 dot: 5 × 5 without its corners
        Assert.All(colored, p => Assert.True(Math.Abs(p.X - expectedX) <= 2.5 && Math.Abs(p.Y - expectedY) <= 2.5, $"pixel {p} is far from ({expectedX}, {expectedY})"));
    }

    [Fact]
    public void PointsOutsideAFixedRangeAreClippedAway()
    {
        var canvas = ScatterPlot.Render([new PointSeries("p", [-5, 20], [5, 5], Marked, Radius: 2)], FixedRanges);

        Assert.DoesNotContain(CanvasTests.InkPixels(canvas), p => canvas.GetPixel(p.X, p.Y) == Marked);
    }

    [Fact]
    public void NonFinitePointsAreSkipped()
    {
        var clean = ScatterPlot.Render([new PointSeries("p", [2.5], [7.5], Marked)], FixedRanges);
        var withNaN = ScatterPlot.Render([new PointSeries("p", [2.5, double.NaN, 1, double.PositiveInfinity], [7.5, 1, double.NegativeInfinity, 3], Marked)], FixedRanges);

        Assert.Equal(clean.Pixels.ToArray(), withNaN.Pixels.ToArray());
    }

    [Fact]
    public void OnlyNonFinitePointsStillRenderAPlot()
    {
        var canvas = ScatterPlot.Render([new PointSeries("diverged", [double.NaN], [double.NaN], Marked)], new PlotOptions(ShowLegend: false));

        Assert.Equal(640, canvas.Width);
        Assert.DoesNotContain(CanvasTests.InkPixels(canvas), p => canvas.GetPixel(p.X, p.Y) == Marked);
    }

    [Fact]
    public void MarkersAreDrawnOverThePointsAndListedInTheLegend()
    {
        var canvas = ScatterPlot.Render(
            [new PointSeries("real", [5], [5], Rgb.RealData)],
            FixedRanges with { ShowLegend = true },
            [new MarkerSeries("centers", [5], [5], Marked, MarkerShape.Plus, Size: 6)]);

        var area = RenderedPlotArea.Find(canvas, (0, 10), (0, 10));
        int centerX = (int)Math.Round(area.ToPixelX(5)), centerY = (int)Math.Round(area.ToPixelY(5));
        Assert.Equal(Marked, canvas.GetPixel(centerX, centerY));
        Assert.Equal(Marked, canvas.GetPixel(centerX + 5, centerY));
        // The legend repeats the marker away from the data point.
        Assert.Contains(area.PixelsOf(canvas, Marked), p => Math.Abs(p.X - centerX) > 20 || Math.Abs(p.Y - centerY) > 20);
    }

    [Fact]
    public void EqualAspectGivesADataUnitTheSamePixelsOnBothAxes()
    {
        var frame = new PlotFrame(new PlotOptions(EqualAspect: true), (0, 10), (0, 1));

        double xPerPixel = (frame.XMax - frame.XMin) / (frame.Right - 1 - frame.Left);
        double yPerPixel = (frame.YMax - frame.YMin) / (frame.Bottom - 1 - frame.Top);
        Assert.Equal(xPerPixel, yPerPixel, 1e-9);
        Assert.True(frame.XMin <= 0 && frame.XMax >= 10 && frame.YMin <= 0 && frame.YMax >= 1);
    }

    [Fact]
    public void MismatchedCoordinateLengthsAreRefusedNamingTheSeries()
    {
        var error = Assert.Throws<ArgumentException>(() => ScatterPlot.Render(
            [new PointSeries("real", [1], [1], Rgb.RealData), new PointSeries("generated", [1, 2, 3], [1, 2], Rgb.Generated)], new PlotOptions()));

        Assert.Contains("series[1] \"generated\"", error.Message);
        Assert.Contains("X has 3 values but Y has 2", error.Message);
    }

    [Fact]
    public void EmptySeriesListIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => ScatterPlot.Render([], new PlotOptions()));

        Assert.Contains("expected at least one series", error.Message);
    }

    [Fact]
    public void UnusableOptionsAreRefusedNamingTheOption()
    {
        var series = new[] { new PointSeries("p", [1], [1], Marked) };

        Assert.Contains("options.Width is 0", Assert.Throws<ArgumentException>(() => ScatterPlot.Render(series, new PlotOptions(Width: 0))).Message);
        Assert.Contains("XRange is (3, 3)", Assert.Throws<ArgumentException>(() => ScatterPlot.Render(series, new PlotOptions(XRange: (3, 3)))).Message);
        Assert.Contains("options.Width 60 leaves", Assert.Throws<ArgumentException>(() => ScatterPlot.Render(series, new PlotOptions(Width: 60))).Message);
    }

    [Fact]
    public void SaveWritesADecodablePngOfTheRequestedSize()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "scatter.png");

        ScatterPlot.Save(path, [new PointSeries("p", [1, 2], [3, 4], Marked)], new PlotOptions(Width: 320, Height: 240));

        var decoded = PngTestDecoder.Decode(File.ReadAllBytes(path));
        Assert.Equal((320, 240), (decoded.Width, decoded.Height));
    }
}
