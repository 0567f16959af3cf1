namespace Latent.Imaging;

/// <summary>
/// The frame every plot draws its data into: canvas, margins, axis ranges, ticks with labels, grid, title and legend.
/// </summary>
/// <remarks>
/// Order of use: construct (lays out and draws background and grid), <see cref="BeginData"/>, draw the data
/// through <see cref="ToPixelX"/> and <see cref="ToPixelY"/> (clipped to the plot area), <see cref="EndData"/>
/// (frame, ticks, labels, title), then <see cref="DrawLegend"/>.
/// The plot area covers columns <see cref="Left"/> … <see cref="Right"/> − 1 and rows <see cref="Top"/> … <see cref="Bottom"/> − 1;
/// the range ends map to the centres of its outermost pixels.
/// </remarks>
internal sealed class PlotFrame
{
    private const int TickLength = 4;
    private const int MinimumPlotSize = 20;

    private readonly PlotOptions _options;
    /// <summary>Pixels per font pixel for tick labels, axis labels and legend text (the title uses twice this).</summary>
    private readonly int _textScale;
    private readonly AxisTicks _xTicks;
    private readonly AxisTicks _yTicks;
    private byte[]? _beforeData;

    /// <summary>Lays out the plot for the given data ranges and draws the background and grid.</summary>
    /// <param name="options">Size, labels, fixed ranges and aspect; validated by the caller.</param>
    /// <param name="xRange">The x range to show unless <see cref="PlotOptions.XRange"/> fixes it.</param>
    /// <param name="yRange">The y range to show unless <see cref="PlotOptions.YRange"/> fixes it.</param>
    /// <exception cref="ArgumentException">The image is too small for its labels and a plot area.</exception>
    public PlotFrame(PlotOptions options, (double Min, double Max) xRange, (double Min, double Max) yRange)
    {
        _options = options;
        // Text grows with the image so that a 1280 × 960 plot reads like a 640 × 480 one.
        _textScale = Math.Max(1, Math.Min(options.Width / 640, options.Height / 480));
        int s = _textScale;
        int padding = 10 * s;
        int textHeight = BitmapFont.CellHeight * s;

        Top = padding + (HasText(options.Title) ? BitmapFont.CellHeight * 2 * s + 8 * s : 0);
        Bottom = options.Height - (TickLength + 4 * s + textHeight + (HasText(options.XLabel) ? 6 * s + textHeight : 0) + padding);
        Right = options.Width - 20 * s;
        int yLabelColumn = padding + (HasText(options.YLabel) ? textHeight + 8 * s : 0);

        // The left margin depends on the widest y tick label, which depends on the y range, which equal aspect ties to
        // the plot width, which depends on the left margin. The margin only grows, so this settles within a few rounds.
        var requestedX = options.XRange ?? xRange;
        var requestedY = options.YRange ?? yRange;
        Left = yLabelColumn + 5 * s + TickLength;
        (double Min, double Max) x, y;
        AxisTicks yTicks;
        while (true)
        {
            RequirePlotArea();
            (x, y) = options.EqualAspect ? Equalize(requestedX, requestedY) : (requestedX, requestedY);
            yTicks = AxisTicks.Choose(y.Min, y.Max, Bottom - Top - 1, _ => 36 * s);
            int widest = yTicks.Labels.Select(label => Canvas.MeasureText(label, s).Width).DefaultIfEmpty(0).Max();
            int left = yLabelColumn + widest + 5 * s + TickLength;
            if (left <= Left)
                break;
            Left = left;
        }
        (XMin, XMax, YMin, YMax) = (x.Min, x.Max, y.Min, y.Max);
        _yTicks = yTicks;
        _xTicks = AxisTicks.Choose(XMin, XMax, Right - Left - 1,
            labels => Math.Max(60 * s, labels.Select(label => Canvas.MeasureText(label, s).Width).DefaultIfEmpty(0).Max() + 16 * s));

        Canvas = new Canvas(options.Width, options.Height, Rgb.White);
        DrawGrid();
    }

    /// <summary>The image the plot is drawn on.</summary>
    public Canvas Canvas { get; }

    /// <summary>First column of the plot area.</summary>
    public int Left { get; private set; }

    /// <summary>First row of the plot area.</summary>
    public int Top { get; }

    /// <summary>One past the last column of the plot area.</summary>
    public int Right { get; }

    /// <summary>One past the last row of the plot area.</summary>
    public int Bottom { get; }

    /// <summary>The data value at the left edge.</summary>
    public double XMin { get; }

    /// <summary>The data value at the right edge.</summary>
    public double XMax { get; }

    /// <summary>The data value at the bottom edge.</summary>
    public double YMin { get; }

    /// <summary>The data value at the top edge.</summary>
    public double YMax { get; }

    /// <summary>The column of data value <paramref name="x"/> (fractional; NaN stays NaN).</summary>
    public double ToPixelX(double x) => Left + (x - XMin) / (XMax - XMin) * (Right - 1 - Left);

    /// <summary>The row of data value <paramref name="y"/> (fractional; larger values are higher up).</summary>
    public double ToPixelY(double y) => Bottom - 1 - (y - YMin) / (YMax - YMin) * (Bottom - 1 - Top);

    /// <summary>Remembers the empty plot (for legend placement) and clips drawing to the plot area.</summary>
    public void BeginData()
    {
        _beforeData = Canvas.Pixels.ToArray();
        Canvas.SetClip(Left, Top, Right - Left, Bottom - Top);
    }

    /// <summary>Lifts the clip and draws the frame, ticks, tick labels, axis labels and title over the data.</summary>
    public void EndData()
    {
        Canvas.ResetClip();
        int s = _textScale;
        Canvas.DrawRect(Left - 1, Top - 1, Right - Left + 2, Bottom - Top + 2, Rgb.Axis);

        int labelTop = Bottom + 1 + TickLength + 3 * s;
        for (int i = 0; i < _xTicks.Values.Length; i++)
        {
            int column = (int)Math.Round(ToPixelX(_xTicks.Values[i]));
            Canvas.FillRect(column, Bottom + 1, 1, TickLength, Rgb.Axis);
            int width = Canvas.MeasureText(_xTicks.Labels[i], s).Width;
            int x = Math.Clamp(column - width / 2, 0, Math.Max(0, Canvas.Width - width));
            Canvas.DrawText(_xTicks.Labels[i], x, labelTop, Rgb.Ink, s);
        }
        for (int i = 0; i < _yTicks.Values.Length; i++)
        {
            int row = (int)Math.Round(ToPixelY(_yTicks.Values[i]));
            Canvas.FillRect(Left - 1 - TickLength, row, TickLength, 1, Rgb.Axis);
            int width = Canvas.MeasureText(_yTicks.Labels[i], s).Width;
            Canvas.DrawText(_yTicks.Labels[i], Left - 1 - TickLength - 4 * s - width, row - BitmapFont.CapHeight * s / 2, Rgb.Ink, s);
        }

        int centerX = (Left + Right) / 2;
        if (HasText(_options.XLabel))
        {
            int width = Canvas.MeasureText(_options.XLabel!, s).Width;
            Canvas.DrawText(_options.XLabel!, Math.Max(0, centerX - width / 2), labelTop + BitmapFont.CellHeight * s + 6 * s, Rgb.Ink, s);
        }
        if (HasText(_options.YLabel))
        {
            int length = Canvas.MeasureText(_options.YLabel!, s).Width;
            Canvas.DrawTextUpward(_options.YLabel!, 10 * s, Math.Max(0, (Top + Bottom) / 2 - length / 2), Rgb.Ink, s);
        }
        if (HasText(_options.Title))
        {
            int titleScale = 2 * s;
            int width = Canvas.MeasureText(_options.Title!, titleScale).Width;
            int x = Math.Clamp(centerX - width / 2, 0, Math.Max(0, Canvas.Width - width));
            Canvas.DrawText(_options.Title!, x, 10 * s, Rgb.Ink, titleScale);
        }
    }

    /// <summary>Writes a short grey note in the middle of the plot area, e.g. when there is nothing finite to draw.</summary>
    public void DrawNote(string note)
    {
        int s = _textScale;
        var (width, height) = Canvas.MeasureText(note, s);
        Canvas.DrawText(note, (Left + Right - width) / 2, (Top + Bottom - height) / 2, Rgb.RealData, s);
    }

    /// <summary>
    /// Lists the entries with a label in a box inside the plot, in whichever corner (top right, top left, bottom right, bottom left)
    /// covers the fewest data pixels; does nothing when the options hide the legend or no entry has a label.
    /// </summary>
    public void DrawLegend(IReadOnlyList<LegendEntry> entries)
    {
        var shown = entries.Where(entry => HasText(entry.Label)).ToList();
        if (!_options.ShowLegend || shown.Count == 0)
            return;

        int s = _textScale;
        int padding = 6 * s;
        int swatchWidth = 18 * s;
        int rowHeight = BitmapFont.CellHeight * s + 4 * s;
        int textWidth = shown.Max(entry => Canvas.MeasureText(entry.Label, s).Width);
        int boxWidth = padding + swatchWidth + 6 * s + textWidth + padding;
        int boxHeight = padding + shown.Count * rowHeight - 4 * s + padding - 2 * s;
        int inset = 8 * s;

        var corners = new (int X, int Y)[]
        {
            (Right - inset - boxWidth, Top + inset),
            (Left + inset, Top + inset),
            (Right - inset - boxWidth, Bottom - inset - boxHeight),
            (Left + inset, Bottom - inset - boxHeight),
        };
        var (boxX, boxY) = corners.MinBy(corner => DataPixelsIn(corner.X, corner.Y, boxWidth, boxHeight));

        Canvas.FillRect(boxX, boxY, boxWidth, boxHeight, Rgb.White, 0.88);
        Canvas.DrawRect(boxX, boxY, boxWidth, boxHeight, new Rgb(204, 204, 204));
        for (int i = 0; i < shown.Count; i++)
        {
            var entry = shown[i];
            int rowTop = boxY + padding + i * rowHeight;
            int middle = rowTop + BitmapFont.CapHeight * s / 2;
            int swatchLeft = boxX + padding;
            switch (entry.Swatch)
            {
                case LegendSwatch.Point:
                    Canvas.FillCircle(swatchLeft + swatchWidth / 2.0, middle, 3 * s, entry.Color);
                    break;
                case LegendSwatch.Line:
                    Canvas.DrawLine(swatchLeft, middle, swatchLeft + swatchWidth - 1, middle, entry.Color, 2 * s);
                    break;
                case LegendSwatch.Bar:
                    Canvas.FillRect(swatchLeft, middle - 4 * s, swatchWidth, 9 * s, entry.Color);
                    break;
                case LegendSwatch.Marker:
                    MarkerPainter.Draw(Canvas, swatchLeft + swatchWidth / 2.0, middle, entry.Shape, 4 * s, entry.Color);
                    break;
            }
            Canvas.DrawText(entry.Label, swatchLeft + swatchWidth + 6 * s, rowTop, Rgb.Ink, s);
        }
    }

    /// <summary>The data range padded by 5 % on each side; a single value gets a unit-wide (or 20 %-wide) range around it.</summary>
    public static (double Min, double Max) Padded(double min, double max, double fraction = 0.05)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
            return (0, 1);
        double span = max - min;
        if (span <= Math.Abs(max) * 1e-12 || span == 0)
        {
            double half = min == 0 ? 0.5 : Math.Abs(min) * 0.1;
            return (min - half, max + half);
        }
        return (min - fraction * span, max + fraction * span);
    }

    /// <summary>Whether <paramref name="text"/> has something to draw.</summary>
    public static bool HasText(string? text) => !string.IsNullOrWhiteSpace(text);

    private void DrawGrid()
    {
        foreach (double value in _xTicks.Values)
            Canvas.FillRect((int)Math.Round(ToPixelX(value)), Top, 1, Bottom - Top, Rgb.Grid);
        foreach (double value in _yTicks.Values)
            Canvas.FillRect(Left, (int)Math.Round(ToPixelY(value)), Right - Left, 1, Rgb.Grid);
    }

    private ((double Min, double Max) X, (double Min, double Max) Y) Equalize((double Min, double Max) x, (double Min, double Max) y)
    {
        double xPerPixel = (x.Max - x.Min) / (Right - 1 - Left);
        double yPerPixel = (y.Max - y.Min) / (Bottom - 1 - Top);
        if (xPerPixel > yPerPixel)
            y = Widen(y, xPerPixel * (Bottom - 1 - Top));
        else
            x = Widen(x, yPerPixel * (Right - 1 - Left));
        return (x, y);
    }

    private static (double Min, double Max) Widen((double Min, double Max) range, double span)
    {
        double center = (range.Min + range.Max) / 2;
        return (center - span / 2, center + span / 2);
    }

    private void RequirePlotArea()
    {
        if (Right - Left < MinimumPlotSize)
            throw new ArgumentException(
                $"options.Width {_options.Width} leaves {Right - Left} pixels for the plot after the margins for labels; expected a width of at least {_options.Width - (Right - Left) + MinimumPlotSize}",
                "options");
        if (Bottom - Top < MinimumPlotSize)
            throw new ArgumentException(
                $"options.Height {_options.Height} leaves {Bottom - Top} pixels for the plot after the margins for labels; expected a height of at least {_options.Height - (Bottom - Top) + MinimumPlotSize}",
                "options");
    }

    private int DataPixelsIn(int x, int y, int width, int height)
    {
        if (_beforeData is null)
            return 0;
        var now = Canvas.Pixels;
        int count = 0;
        for (int row = Math.Max(0, y); row < Math.Min(Canvas.Height, y + height); row++)
        {
            for (int column = Math.Max(0, x); column < Math.Min(Canvas.Width, x + width); column++)
            {
                int offset = (row * Canvas.Width + column) * 3;
                if (now[offset] != _beforeData[offset] || now[offset + 1] != _beforeData[offset + 1] || now[offset + 2] != _beforeData[offset + 2])
                    count++;
            }
        }
        return count;
    }
}
