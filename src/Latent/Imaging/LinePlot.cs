namespace Latent.Imaging;

/// <summary>Line plots of one or more curves, such as losses over training steps.</summary>
/// <remarks>
/// Points with a non-finite coordinate are skipped and their finite neighbours joined, so a metric logged only every
/// few steps (NaN in between) still draws as one curve. Without fixed ranges the axes fit every finite point with 5 % padding.
/// </remarks>
public static class LinePlot
{
    /// <summary>Renders the curves with title, axes, ticks and legend.</summary>
    /// <param name="series">One or more curves; each needs X and Y of equal length.</param>
    /// <param name="options">Title, labels, size and fixed ranges.</param>
    /// <returns>The plot, ready for <see cref="Canvas.SavePng"/>.</returns>
    /// <exception cref="ArgumentException">No series, a null series, X and Y of different lengths, or unusable options.</exception>
    public static Canvas Render(IReadOnlyList<LineSeries> series, PlotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        PlotInputChecks.RequireSeries(series, nameof(series));
        for (int i = 0; i < series.Count; i++)
            PlotInputChecks.RequirePairedCoordinates(series[i].X, series[i].Y, PlotInputChecks.Describe(nameof(series), i, series[i].Label), nameof(series));

        var curves = series.Select(line => FinitePoints(line.X, line.Y)).ToList();
        var all = curves.SelectMany(points => points).ToList();
        var xRange = all.Count > 0 ? PlotFrame.Padded(all.Min(p => p.X), all.Max(p => p.X), 0.03) : (0, 1);
        var yRange = all.Count > 0 ? PlotFrame.Padded(all.Min(p => p.Y), all.Max(p => p.Y)) : (0, 1);

        var frame = new PlotFrame(options, xRange, yRange);
        frame.BeginData();
        for (int i = 0; i < series.Count; i++)
        {
            var points = curves[i];
            frame.Canvas.DrawPolyline(points.Select(p => frame.ToPixelX(p.X)).ToArray(), points.Select(p => frame.ToPixelY(p.Y)).ToArray(), series[i].Color, 1.5);
        }
        frame.EndData();
        if (all.Count == 0)
            frame.DrawNote("no finite points");
        frame.DrawLegend(series.Select(line => new LegendEntry(line.Label, line.Color, LegendSwatch.Line)).ToList());
        return frame.Canvas;
    }

    /// <summary>Renders the curves and saves the plot as a PNG file, atomically.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="series">One or more curves, as for <see cref="Render"/>.</param>
    /// <param name="options">Title, labels, size and fixed ranges.</param>
    public static void Save(string path, IReadOnlyList<LineSeries> series, PlotOptions options) => Render(series, options).SavePng(path);

    private static List<(double X, double Y)> FinitePoints(double[] xs, double[] ys)
    {
        var points = new List<(double X, double Y)>(xs.Length);
        for (int i = 0; i < xs.Length; i++)
        {
            if (double.IsFinite(xs[i]) && double.IsFinite(ys[i]))
                points.Add((xs[i], ys[i]));
        }
        return points;
    }
}
