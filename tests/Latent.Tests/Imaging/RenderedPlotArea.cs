using Latent.Imaging;

namespace Latent.Tests.Imaging;

/// <summary>
/// Finds a rendered plot's data area from the image alone: the axis frame is the only long run of the axis color,
/// so the columns and rows where it covers more than half the image are the frame's sides.
/// </summary>
internal sealed record RenderedPlotArea(int Left, int Top, int Right, int Bottom, double XMin, double XMax, double YMin, double YMax)
{
    public static RenderedPlotArea Find(Canvas canvas, (double Min, double Max) xRange, (double Min, double Max) yRange)
    {
        var columns = Enumerable.Range(0, canvas.Width)
            .Where(x => Enumerable.Range(0, canvas.Height).Count(y => canvas.GetPixel(x, y) == Rgb.Axis) > canvas.Height / 2).ToList();
        var rows = Enumerable.Range(0, canvas.Height)
            .Where(y => Enumerable.Range(0, canvas.Width).Count(x => canvas.GetPixel(x, y) == Rgb.Axis) > canvas.Width / 2).ToList();
        Assert.True(columns.Count >= 2 && rows.Count >= 2, "axis frame not found");
        // Inside the frame lines: the area runs from one past the left/top line up to the right/bottom line (exclusive).
        return new RenderedPlotArea(columns.Min() + 1, rows.Min() + 1, columns.Max(), rows.Max(), xRange.Min, xRange.Max, yRange.Min, yRange.Max);
    }

    public double ToPixelX(double x) => Left + (x - XMin) / (XMax - XMin) * (Right - 1 - Left);

    public double ToPixelY(double y) => Bottom - 1 - (y - YMin) / (YMax - YMin) * (Bottom - 1 - Top);

    public IEnumerable<(int X, int Y)> PixelsOf(Canvas canvas, Rgb color)
    {
        for (int y = Top; y < Bottom; y++)
            for (int x = Left; x < Right; x++)
                if (canvas.GetPixel(x, y) == color)
                    yield return (x, y);
    }
}
