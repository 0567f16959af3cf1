namespace Latent.Imaging;

/// <summary>Histograms of 1-D samples normalized as a density, with the target density drawn over them.</summary>
/// <remarks>
/// Bar height = (samples in the bin) / (N · bin width), where N counts every finite sample, including those outside
/// the range; so the bars integrate to the fraction of samples inside the range and sit on the same scale as
/// the target density. Non-finite samples are skipped. The legend reads "generated" for the bars and "target" for the curve.
/// </remarks>
public static class HistogramPlot
{
    /// <summary>The fill of the bars: the generated orange, lightened so the target curve stands out over it.</summary>
    internal static readonly Rgb BarColor = Rgb.Generated.Lighten(0.3);

    /// <summary>Renders the histogram and, when given, the density curve, with title, axes, ticks and legend.</summary>
    /// <param name="samples">The values to count; at least one.</param>
    /// <param name="density">The target probability density, evaluated across the x axis; null to draw bars only. Non-finite values leave a gap.</param>
    /// <param name="options">Title, labels and size; <see cref="PlotOptions.XRange"/> also sets the binned range when <paramref name="range"/> is null.</param>
    /// <param name="bins">Number of equal-width bins, ≥ 1; default 60.</param>
    /// <param name="range">The binned interval (finite, Min &lt; Max); null uses <see cref="PlotOptions.XRange"/>, else the smallest and largest finite sample.</param>
    /// <returns>The plot, ready for <see cref="Canvas.SavePng"/>.</returns>
    /// <exception cref="ArgumentException">No samples, bins &lt; 1, an empty or reversed range, or unusable options.</exception>
    public static Canvas Render(double[] samples, Func<double, double>? density, PlotOptions options, int bins = 60, (double Min, double Max)? range = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (samples is null)
            throw new ArgumentNullException(nameof(samples), "samples is null; expected at least one value");
        if (samples.Length == 0)
            throw new ArgumentException("samples is empty; expected at least one value", nameof(samples));
        if (bins < 1)
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "expected at least 1 bin");
        PlotOptions.ValidateRange(range, nameof(range));

        var finite = samples.Where(double.IsFinite).ToArray();
        var binned = range ?? options.XRange ?? (finite.Length > 0 ? PlotFrame.Padded(finite.Min(), finite.Max(), 0) : (0, 1));
        double binWidth = (binned.Max - binned.Min) / bins;
        double[] heights = BinDensities(finite, bins, binned);

        var xRange = options.XRange ?? PlotFrame.Padded(binned.Min, binned.Max, 0.03);
        (double[] X, double[] Y)? curve = density is null ? null : SampleDensity(density, xRange, points: 2 * options.Width);
        double tallest = heights.Max();
        if (curve is not null)
        {
            foreach (double value in curve.Value.Y)
            {
                if (double.IsFinite(value))
                    tallest = Math.Max(tallest, value);
            }
        }
        var yRange = tallest > 0 ? (0.0, tallest * 1.08) : (0.0, 1.0);

        var frame = new PlotFrame(options, xRange, yRange);
        var canvas = frame.Canvas;
        frame.BeginData();
        int baseline = (int)Math.Round(frame.ToPixelY(0));
        for (int bin = 0; bin < bins; bin++)
        {
            if (!(heights[bin] > 0))
                continue;
            int left = (int)Math.Round(frame.ToPixelX(binned.Min + bin * binWidth));
            int right = (int)Math.Round(frame.ToPixelX(binned.Min + (bin + 1) * binWidth));
            // A one-pixel gap separates bars wide enough to spare it.
            int width = right - left >= 4 ? right - left - 1 : Math.Max(1, right - left);
            int top = (int)Math.Round(frame.ToPixelY(heights[bin]));
            canvas.FillRect(left, top, width, baseline - top + 1, BarColor);
        }
        if (curve is { } line)
            canvas.DrawPolyline(line.X.Select(frame.ToPixelX).ToArray(), line.Y.Select(frame.ToPixelY).ToArray(), Rgb.Blue, 2);
        frame.EndData();
        if (finite.Length == 0)
            frame.DrawNote("no finite samples");

        var legend = new List<LegendEntry> { new("generated", BarColor, LegendSwatch.Bar) };
        if (density is not null)
            legend.Add(new("target", Rgb.Blue, LegendSwatch.Line));
        frame.DrawLegend(legend);
        return canvas;
    }

    /// <summary>Renders the histogram and saves it as a PNG file, atomically.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="samples">The values to count; at least one.</param>
    /// <param name="density">The target probability density; null to draw bars only.</param>
    /// <param name="options">Title, labels, size and ranges.</param>
    /// <param name="bins">Number of equal-width bins, ≥ 1; default 60.</param>
    /// <param name="range">The binned interval; null for the sample range.</param>
    public static void Save(string path, double[] samples, Func<double, double>? density, PlotOptions options, int bins = 60, (double Min, double Max)? range = null) =>
        Render(samples, density, options, bins, range).SavePng(path);

    /// <summary>
    /// The bar heights: count in each bin / (number of <paramref name="finiteSamples"/> · bin width), the top edge belonging to the last bin.
    /// </summary>
    internal static double[] BinDensities(double[] finiteSamples, int bins, (double Min, double Max) range)
    {
        double binWidth = (range.Max - range.Min) / bins;
        var heights = new double[bins];
        if (finiteSamples.Length == 0)
            return heights;
        foreach (double sample in finiteSamples)
        {
            if (sample < range.Min || sample > range.Max)
                continue;
            int bin = Math.Min(bins - 1, (int)((sample - range.Min) / binWidth));
            heights[bin]++;
        }
        for (int bin = 0; bin < bins; bin++)
            heights[bin] /= finiteSamples.Length * binWidth;
        return heights;
    }

    private static (double[] X, double[] Y) SampleDensity(Func<double, double> density, (double Min, double Max) range, int points)
    {
        var xs = new double[points];
        var ys = new double[points];
        for (int i = 0; i < points; i++)
        {
            xs[i] = range.Min + (range.Max - range.Min) * i / (points - 1);
            ys[i] = density(xs[i]);
        }
        return (xs, ys);
    }
}
