namespace Latent.Imaging;

/// <summary>Scatter plots of 2-D samples, e.g. real data in grey under generated samples in orange, with optional reference markers.</summary>
/// <remarks>
/// Series are drawn in list order, so later series lie on top; markers are drawn last, with a white halo.
/// Without fixed ranges the axes fit every finite point and marker with 5 % padding.
/// Points with a non-finite coordinate are skipped; if nothing finite remains, the plot says so.
/// </remarks>
public static class ScatterPlot
{
    /// <summary>Renders the series (and markers) with title, axes, ticks and legend.</summary>
    /// <param name="series">One or more point sets; each needs X and Y of equal length (zero points is allowed).</param>
    /// <param name="options">Title, labels, size, fixed ranges and aspect; use <c>EqualAspect = true</c> for 2-D distributions.</param>
    /// <param name="markers">Symbols drawn over the points, e.g. mixture centres; null for none.</param>
    /// <returns>The plot, ready for <see cref="Canvas.SavePng"/>.</returns>
    /// <exception cref="ArgumentException">No series, a null series, X and Y of different lengths, a negative radius, an opacity outside (0, 1], or unusable options.</exception>
    public static Canvas Render(IReadOnlyList<PointSeries> series, PlotOptions options, IReadOnlyList<MarkerSeries>? markers = null)
    {
        Validate(series, options, markers);
        markers ??= [];

        var finite = series.SelectMany(s => FinitePoints(s.X, s.Y)).Concat(markers.SelectMany(m => FinitePoints(m.X, m.Y))).ToList();
        var xRange = finite.Count > 0 ? PlotFrame.Padded(finite.Min(p => p.X), finite.Max(p => p.X)) : (0, 1);
        var yRange = finite.Count > 0 ? PlotFrame.Padded(finite.Min(p => p.Y), finite.Max(p => p.Y)) : (0, 1);

        var frame = new PlotFrame(options, xRange, yRange);
        frame.BeginData();
        foreach (var points in series)
        {
            foreach (var (x, y) in FinitePoints(points.X, points.Y))
                frame.Canvas.Dot((int)Math.Round(frame.ToPixelX(x)), (int)Math.Round(frame.ToPixelY(y)), points.Radius, points.Color, points.Opacity);
        }
        foreach (var marker in markers)
        {
            foreach (var (x, y) in FinitePoints(marker.X, marker.Y))
                MarkerPainter.Draw(frame.Canvas, Math.Round(frame.ToPixelX(x)), Math.Round(frame.ToPixelY(y)), marker.Shape, marker.Size, marker.Color);
        }
        frame.EndData();
        if (finite.Count == 0)
            frame.DrawNote("no finite points");

        var legend = series.Select(s => new LegendEntry(s.Label, s.Color, LegendSwatch.Point))
            .Concat(markers.Select(m => new LegendEntry(m.Label, m.Color, LegendSwatch.Marker, m.Shape)))
            .ToList();
        frame.DrawLegend(legend);
        return frame.Canvas;
    }

    /// <summary>Renders the plot and saves it as a PNG file, atomically.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="series">One or more point sets, as for <see cref="Render"/>.</param>
    /// <param name="options">Title, labels, size, ranges and aspect.</param>
    /// <param name="markers">Symbols drawn over the points; null for none.</param>
    public static void Save(string path, IReadOnlyList<PointSeries> series, PlotOptions options, IReadOnlyList<MarkerSeries>? markers = null) =>
        Render(series, options, markers).SavePng(path);

    private static IEnumerable<(double X, double Y)> FinitePoints(double[] xs, double[] ys)
    {
        for (int i = 0; i < xs.Length; i++)
        {
            if (double.IsFinite(xs[i]) && double.IsFinite(ys[i]))
                yield return (xs[i], ys[i]);
        }
    }

    private static void Validate(IReadOnlyList<PointSeries> series, PlotOptions options, IReadOnlyList<MarkerSeries>? markers)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        PlotInputChecks.RequireSeries(series, nameof(series));
        for (int i = 0; i < series.Count; i++)
        {
            var points = series[i];
            string what = PlotInputChecks.Describe(nameof(series), i, points.Label);
            PlotInputChecks.RequirePairedCoordinates(points.X, points.Y, what, nameof(series));
            if (points.Radius < 0)
                throw new ArgumentException($"{what}: Radius is {points.Radius}; expected ≥ 0 pixels", nameof(series));
            if (!(points.Opacity > 0 && points.Opacity <= 1))
                throw new ArgumentException($"{what}: Opacity is {points.Opacity}; expected a value in (0, 1]", nameof(series));
        }
        if (markers is null)
            return;
        for (int i = 0; i < markers.Count; i++)
        {
            var marker = markers[i] ?? throw new ArgumentException($"{nameof(markers)}[{i}] is null; expected a marker series", nameof(markers));
            string what = PlotInputChecks.Describe(nameof(markers), i, marker.Label);
            PlotInputChecks.RequirePairedCoordinates(marker.X, marker.Y, what, nameof(markers));
            if (marker.Size < 1)
                throw new ArgumentException($"{what}: Size is {marker.Size}; expected ≥ 1 pixel", nameof(markers));
            if (!Enum.IsDefined(marker.Shape))
                throw new ArgumentException($"{what}: Shape is {marker.Shape}; expected Cross, Plus or Circle", nameof(markers));
        }
    }
}
