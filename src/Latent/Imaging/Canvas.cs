namespace Latent.Imaging;

/// <summary>An RGB raster to draw plots and image grids on, saved as PNG.</summary>
/// <remarks>
/// Pixel (x, y) is the unit square centred on the point (x, y); x grows to the right and y downwards, from (0, 0) at
/// the top-left corner. Drawing methods take fractional coordinates where anti-aliasing makes them meaningful
/// (lines, circles) and integer ones elsewhere. Anything outside the canvas or the current clip rectangle
/// (<see cref="SetClip"/>) is silently cut off, and non-finite coordinates draw nothing, so a diverged model's
/// NaN samples never crash a plot.
/// </remarks>
public sealed class Canvas
{
    private readonly byte[] _pixels;
    private int _clipLeft;
    private int _clipTop;
    private int _clipRight;
    private int _clipBottom;

    /// <summary>Creates a canvas filled with <paramref name="background"/>.</summary>
    /// <param name="width">Width in pixels, ≥ 1.</param>
    /// <param name="height">Height in pixels, ≥ 1.</param>
    /// <param name="background">The initial color; default white.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the canvas would exceed the largest array .NET allows.</exception>
    public Canvas(int width, int height, Rgb? background = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        long bytes = (long)width * height * 3;
        if (bytes > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"a {width} × {height} canvas needs {bytes} bytes; expected at most {Array.MaxLength}");
        Width = width;
        Height = height;
        _pixels = new byte[bytes];
        ResetClip();
        Clear(background ?? Rgb.White);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The raster as RGB bytes, rows top to bottom, ready for <see cref="PngEncoder"/> with <see cref="PngPixelFormat.Rgb8"/>.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>The color of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The pixel lies outside the canvas.</exception>
    public Rgb GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Width)
            throw new ArgumentOutOfRangeException(nameof(x), x, $"expected 0 ≤ x < {Width}");
        if ((uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(y), y, $"expected 0 ≤ y < {Height}");
        int offset = (y * Width + x) * 3;
        return new(_pixels[offset], _pixels[offset + 1], _pixels[offset + 2]);
    }

    /// <summary>Restricts all later drawing to a rectangle (intersected with the canvas) until <see cref="ResetClip"/>.</summary>
    /// <param name="x">Left column of the rectangle.</param>
    /// <param name="y">Top row of the rectangle.</param>
    /// <param name="width">Columns in the rectangle; ≤ 0 makes every later drawing call draw nothing.</param>
    /// <param name="height">Rows in the rectangle; ≤ 0 makes every later drawing call draw nothing.</param>
    public void SetClip(int x, int y, int width, int height)
    {
        _clipLeft = Math.Clamp(x, 0, Width);
        _clipTop = Math.Clamp(y, 0, Height);
        _clipRight = (int)Math.Clamp((long)x + Math.Max(width, 0), _clipLeft, Width);
        _clipBottom = (int)Math.Clamp((long)y + Math.Max(height, 0), _clipTop, Height);
    }

    /// <summary>Lets drawing reach the whole canvas again.</summary>
    public void ResetClip()
    {
        _clipLeft = 0;
        _clipTop = 0;
        _clipRight = Width;
        _clipBottom = Height;
    }

    /// <summary>Fills the whole canvas with <paramref name="color"/>, ignoring the clip rectangle.</summary>
    public void Clear(Rgb color)
    {
        for (int offset = 0; offset < _pixels.Length; offset += 3)
        {
            _pixels[offset] = color.R;
            _pixels[offset + 1] = color.G;
            _pixels[offset + 2] = color.B;
        }
    }

    /// <summary>Sets one pixel; pixels outside the canvas or clip rectangle are ignored.</summary>
    public void SetPixel(int x, int y, Rgb color)
    {
        if (!IsDrawable(x, y))
            return;
        int offset = (y * Width + x) * 3;
        _pixels[offset] = color.R;
        _pixels[offset + 1] = color.G;
        _pixels[offset + 2] = color.B;
    }

    /// <summary>Mixes <paramref name="color"/> over one pixel: result = alpha · color + (1 − alpha) · old.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <param name="color">The color laid over the pixel.</param>
    /// <param name="alpha">Opacity in [0, 1]; values outside are clamped and NaN draws nothing.</param>
    public void BlendPixel(int x, int y, Rgb color, double alpha)
    {
        if (!IsDrawable(x, y) || !(alpha > 0))
            return;
        if (alpha >= 1)
        {
            SetPixel(x, y, color);
            return;
        }
        int offset = (y * Width + x) * 3;
        _pixels[offset] = Mix(_pixels[offset], color.R, alpha);
        _pixels[offset + 1] = Mix(_pixels[offset + 1], color.G, alpha);
        _pixels[offset + 2] = Mix(_pixels[offset + 2], color.B, alpha);
    }

    /// <summary>Fills the rectangle of <paramref name="width"/> × <paramref name="height"/> pixels whose top-left pixel is (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Columns; ≤ 0 draws nothing.</param>
    /// <param name="height">Rows; ≤ 0 draws nothing.</param>
    /// <param name="color">Fill color.</param>
    /// <param name="alpha">Opacity in [0, 1]; default 1 (opaque).</param>
    public void FillRect(int x, int y, int width, int height, Rgb color, double alpha = 1)
    {
        int left = Math.Max(x, _clipLeft);
        int top = Math.Max(y, _clipTop);
        int right = (int)Math.Min((long)x + width, _clipRight);
        int bottom = (int)Math.Min((long)y + height, _clipBottom);
        for (int row = top; row < bottom; row++)
        {
            for (int column = left; column < right; column++)
                BlendPixel(column, row, color, alpha);
        }
    }

    /// <summary>Draws the outline of a rectangle, <paramref name="thickness"/> pixels wide, inside its bounds.</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Columns; ≤ 0 draws nothing.</param>
    /// <param name="height">Rows; ≤ 0 draws nothing.</param>
    /// <param name="color">Line color.</param>
    /// <param name="thickness">Line width in pixels, ≥ 1; default 1.</param>
    public void DrawRect(int x, int y, int width, int height, Rgb color, int thickness = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(thickness, 1);
        if (width <= 0 || height <= 0)
            return;
        int band = Math.Min(thickness, Math.Min(width, height));
        FillRect(x, y, width, band, color);
        FillRect(x, y + height - band, width, band, color);
        FillRect(x, y + band, band, height - 2 * band, color);
        FillRect(x + width - band, y + band, band, height - 2 * band, color);
    }

    /// <summary>Draws a straight line with round ends between two points (pixel centres are at integer coordinates).</summary>
    /// <param name="x0">Start column.</param>
    /// <param name="y0">Start row.</param>
    /// <param name="x1">End column.</param>
    /// <param name="y1">End row.</param>
    /// <param name="color">Line color.</param>
    /// <param name="thickness">Line width in pixels, &gt; 0; default 1. Widths below 1 draw a fainter 1-pixel line.</param>
    /// <param name="antiAlias">Whether edge pixels are blended by coverage (smooth) or drawn fully or not at all (crisp); default true.</param>
    public void DrawLine(double x0, double y0, double x1, double y1, Rgb color, double thickness = 1, bool antiAlias = true)
    {
        ValidateThickness(thickness);
        if (!double.IsFinite(x0) || !double.IsFinite(y0) || !double.IsFinite(x1) || !double.IsFinite(y1))
            return;
        // One segment visits each pixel once, so blending straight onto the canvas is exact.
        RasterizeSegment(x0, y0, x1, y1, thickness, antiAlias, (x, y, coverage) => BlendPixel(x, y, color, coverage));
    }

    /// <summary>Draws connected line segments through the points; a non-finite coordinate breaks the line there.</summary>
    /// <remarks>Joints are drawn once (the coverage of overlapping segments is combined by maximum), so a dense curve stays an even band.</remarks>
    /// <param name="xs">Columns of the points.</param>
    /// <param name="ys">Rows of the points; as many as <paramref name="xs"/>.</param>
    /// <param name="color">Line color.</param>
    /// <param name="thickness">Line width in pixels, &gt; 0; default 1.5.</param>
    /// <exception cref="ArgumentException">The two coordinate lists differ in length.</exception>
    public void DrawPolyline(IReadOnlyList<double> xs, IReadOnlyList<double> ys, Rgb color, double thickness = 1.5)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        ValidateThickness(thickness);
        if (xs.Count != ys.Count)
            throw new ArgumentException($"xs has {xs.Count} values but ys has {ys.Count}; expected equal lengths", nameof(ys));

        double reach = Math.Max(thickness, 1) / 2 + 2;
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        for (int i = 0; i < xs.Count; i++)
        {
            if (!double.IsFinite(xs[i]) || !double.IsFinite(ys[i]))
                continue;
            minX = Math.Min(minX, xs[i]);
            maxX = Math.Max(maxX, xs[i]);
            minY = Math.Min(minY, ys[i]);
            maxY = Math.Max(maxY, ys[i]);
        }
        if (minX > maxX)
            return;
        int left = (int)Math.Max(_clipLeft, Math.Floor(minX - reach));
        int top = (int)Math.Max(_clipTop, Math.Floor(minY - reach));
        int right = (int)Math.Min(_clipRight, Math.Ceiling(maxX + reach) + 1);
        int bottom = (int)Math.Min(_clipBottom, Math.Ceiling(maxY + reach) + 1);
        if (left >= right || top >= bottom)
            return;

        int maskWidth = right - left;
        var coverage = new float[maskWidth * (bottom - top)];
        void Keep(int x, int y, double value)
        {
            ref float cell = ref coverage[(y - top) * maskWidth + (x - left)];
            cell = Math.Max(cell, (float)value);
        }

        int previous = -1;
        for (int i = 0; i < xs.Count; i++)
        {
            if (!double.IsFinite(xs[i]) || !double.IsFinite(ys[i]))
            {
                previous = -1;
                continue;
            }
            if (previous >= 0)
                RasterizeSegment(xs[previous], ys[previous], xs[i], ys[i], thickness, antiAlias: true, Keep);
            else if (i + 1 >= xs.Count || !double.IsFinite(xs[i + 1]) || !double.IsFinite(ys[i + 1]))
                RasterizeSegment(xs[i], ys[i], xs[i], ys[i], thickness, antiAlias: true, Keep); // an isolated point stays visible
            previous = i;
        }

        for (int y = top; y < bottom; y++)
        {
            for (int x = left; x < right; x++)
                BlendPixel(x, y, color, coverage[(y - top) * maskWidth + (x - left)]);
        }
    }

    /// <summary>Fills a disc with anti-aliased edges.</summary>
    /// <param name="centerX">Column of the centre.</param>
    /// <param name="centerY">Row of the centre.</param>
    /// <param name="radius">Radius in pixels, ≥ 0.</param>
    /// <param name="color">Fill color.</param>
    /// <param name="alpha">Opacity in [0, 1]; default 1.</param>
    public void FillCircle(double centerX, double centerY, double radius, Rgb color, double alpha = 1)
    {
        ValidateRadius(radius);
        ForEachPixelNear(centerX, centerY, radius + 1, (x, y, distance) =>
            BlendPixel(x, y, color, alpha * Math.Clamp(radius + 0.5 - distance, 0, 1)));
    }

    /// <summary>Draws an anti-aliased circle outline.</summary>
    /// <param name="centerX">Column of the centre.</param>
    /// <param name="centerY">Row of the centre.</param>
    /// <param name="radius">Radius of the middle of the outline, in pixels, ≥ 0.</param>
    /// <param name="color">Line color.</param>
    /// <param name="thickness">Outline width in pixels, &gt; 0; default 1.</param>
    public void DrawCircle(double centerX, double centerY, double radius, Rgb color, double thickness = 1)
    {
        ValidateRadius(radius);
        ValidateThickness(thickness);
        double halfWidth = Math.Max(thickness, 1) / 2;
        double strength = Math.Min(thickness, 1);
        ForEachPixelNear(centerX, centerY, radius + halfWidth + 1, (x, y, distance) =>
            BlendPixel(x, y, color, strength * Math.Clamp(halfWidth + 0.5 - Math.Abs(distance - radius), 0, 1)));
    }

    /// <summary>Draws a crisp round dot, the scatter-plot point: radius 0 is one pixel, 1 a 3 × 3 square, 2 a rounded 5 × 5 disc.</summary>
    /// <param name="x">Column of the centre.</param>
    /// <param name="y">Row of the centre.</param>
    /// <param name="radius">Radius in pixels, ≥ 0.</param>
    /// <param name="color">Dot color.</param>
    /// <param name="alpha">Opacity in [0, 1]; default 1.</param>
    public void Dot(int x, int y, int radius, Rgb color, double alpha = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        // r² + r keeps the disc round at small radii (a plain r² would make radius 1 a plus sign).
        int limit = radius * radius + radius;
        for (int dy = -radius; dy <= radius; dy++)
        {
            for (int dx = -radius; dx <= radius; dx++)
            {
                if (dx * dx + dy * dy <= limit)
                    BlendPixel(x + dx, y + dy, color, alpha);
            }
        }
    }

    /// <summary>The size in pixels that <see cref="DrawText"/> covers for <paramref name="text"/> (lines split at <c>'\n'</c>, descenders included).</summary>
    /// <param name="text">The text; may be empty.</param>
    /// <param name="scale">Pixels per font pixel, ≥ 1; default 1 (capitals are 7 pixels tall).</param>
    public static (int Width, int Height) MeasureText(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        var (width, height) = BitmapFont.Measure(text);
        return (width * scale, height * scale);
    }

    /// <summary>Draws text in the built-in bitmap font, its box's top-left corner at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <remarks>
    /// The font covers digits, upper- and lowercase ASCII letters, all printable ASCII punctuation (<c>. , - + : ; ( ) [ ] { } / \ % = _ ! ? ' " ` # * &lt; &gt; | &amp; ^ ~ @ $</c>)
    /// and a few symbols (× − · ° ² ≈ α ε λ μ σ); other characters appear as a hollow box. The box is
    /// <see cref="MeasureText"/> in size; capitals fill its top 7 · <paramref name="scale"/> rows.
    /// </remarks>
    /// <param name="text">The text; <c>'\n'</c> starts a new line.</param>
    /// <param name="x">Left column of the text box.</param>
    /// <param name="y">Top row of the text box.</param>
    /// <param name="color">Ink color.</param>
    /// <param name="scale">Pixels per font pixel, ≥ 1; default 1.</param>
    public void DrawText(string text, int x, int y, Rgb color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ForEachInkPixel(text, (column, row) => FillRect(x + column * scale, y + row * scale, scale, scale, color));
    }

    /// <summary>Draws text turned a quarter turn anticlockwise, reading from bottom to top, as on a y-axis label.</summary>
    /// <param name="text">The text; <c>'\n'</c> starts a new line (to the right of the previous one).</param>
    /// <param name="x">Left column of the turned text box, which is <see cref="MeasureText"/>'s height wide.</param>
    /// <param name="y">Top row of the turned text box, which is <see cref="MeasureText"/>'s width tall.</param>
    /// <param name="color">Ink color.</param>
    /// <param name="scale">Pixels per font pixel, ≥ 1; default 1.</param>
    public void DrawTextUpward(string text, int x, int y, Rgb color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        int textWidth = BitmapFont.Measure(text).Width;
        // The font pixel at (column, row) lands at (row, textWidth − 1 − column) once turned.
        ForEachInkPixel(text, (column, row) => FillRect(x + row * scale, y + (textWidth - 1 - column) * scale, scale, scale, color));
    }

    /// <summary>The canvas as a PNG file.</summary>
    public byte[] EncodePng() => PngEncoder.Encode(_pixels, Width, Height);

    /// <summary>Saves the canvas as a PNG file, atomically (see <see cref="PngEncoder.Write"/>).</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    public void SavePng(string path) => PngEncoder.Write(path, _pixels, Width, Height);

    private bool IsDrawable(int x, int y) => x >= _clipLeft && x < _clipRight && y >= _clipTop && y < _clipBottom;

    private static byte Mix(byte old, byte color, double alpha) => (byte)Math.Round(old + (color - old) * alpha);

    private static void ValidateThickness(double thickness)
    {
        if (!(thickness > 0) || !double.IsFinite(thickness))
            throw new ArgumentOutOfRangeException(nameof(thickness), thickness, "expected a finite width > 0 pixels");
    }

    private static void ValidateRadius(double radius)
    {
        if (!(radius >= 0) || !double.IsFinite(radius))
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "expected a finite radius ≥ 0 pixels");
    }

    private static void ForEachInkPixel(string text, Action<int, int> plot)
    {
        int penX = 0;
        int penY = 0;
        bool lineStart = true;
        foreach (char character in text)
        {
            if (character == '\n')
            {
                penX = 0;
                penY += BitmapFont.LineAdvance;
                lineStart = true;
                continue;
            }
            if (!lineStart)
                penX += BitmapFont.Spacing;
            var glyph = BitmapFont.For(character);
            for (int row = 0; row < BitmapFont.CellHeight; row++)
            {
                for (int column = 0; column < glyph.Width; column++)
                {
                    if (glyph.IsInk(column, row))
                        plot(penX + column, penY + row);
                }
            }
            penX += glyph.Width;
            lineStart = false;
        }
    }

    /// <summary>Calls <paramref name="visit"/> with the distance from the centre for every drawable pixel within <paramref name="reach"/>.</summary>
    private void ForEachPixelNear(double centerX, double centerY, double reach, Action<int, int, double> visit)
    {
        if (!double.IsFinite(centerX) || !double.IsFinite(centerY))
            return;
        int left = (int)Math.Max(_clipLeft, Math.Floor(centerX - reach));
        int right = (int)Math.Min(_clipRight - 1, Math.Ceiling(centerX + reach));
        int top = (int)Math.Max(_clipTop, Math.Floor(centerY - reach));
        int bottom = (int)Math.Min(_clipBottom - 1, Math.Ceiling(centerY + reach));
        for (int y = top; y <= bottom; y++)
        {
            for (int x = left; x <= right; x++)
                visit(x, y, Math.Sqrt((x - centerX) * (x - centerX) + (y - centerY) * (y - centerY)));
        }
    }

    /// <summary>
    /// Calls <paramref name="plot"/> once for every drawable pixel a thick segment touches, with the fraction of the pixel it covers.
    /// </summary>
    /// <remarks>
    /// Coverage is approximated from the distance d between the pixel centre and the segment: clamp(w/2 + 1/2 − d, 0, 1).
    /// The walk runs along the segment's longer axis and scans only the few pixels across it, so the cost grows with length, not area.
    /// </remarks>
    private void RasterizeSegment(double x0, double y0, double x1, double y1, double thickness, bool antiAlias, Action<int, int, double> plot)
    {
        double halfWidth = Math.Max(thickness, 1) / 2;
        double strength = Math.Min(thickness, 1);
        double dx = x1 - x0;
        double dy = y1 - y0;
        double lengthSquared = dx * dx + dy * dy;
        bool alongX = Math.Abs(dx) >= Math.Abs(dy);

        // Walk the major axis; across it, a segment no steeper than 45° spans at most w/2 · √2 on each side, plus the blended edge.
        double majorStart = alongX ? Math.Min(x0, x1) : Math.Min(y0, y1);
        double majorEnd = alongX ? Math.Max(x0, x1) : Math.Max(y0, y1);
        double across = halfWidth * Math.Sqrt(2) + 1.5;
        int majorFirst = (int)Math.Max(alongX ? _clipLeft : _clipTop, Math.Floor(majorStart - halfWidth - 1));
        int majorLast = (int)Math.Min((alongX ? _clipRight : _clipBottom) - 1, Math.Ceiling(majorEnd + halfWidth + 1));
        int minorLow = alongX ? _clipTop : _clipLeft;
        int minorHigh = (alongX ? _clipBottom : _clipRight) - 1;

        for (int major = majorFirst; major <= majorLast; major++)
        {
            double along = alongX ? dx : dy;
            double t = along == 0 ? 0 : Math.Clamp((major - (alongX ? x0 : y0)) / along, 0, 1);
            double minorCenter = alongX ? y0 + t * dy : x0 + t * dx;
            int first = (int)Math.Max(minorLow, Math.Floor(minorCenter - across));
            int last = (int)Math.Min(minorHigh, Math.Ceiling(minorCenter + across));
            for (int minor = first; minor <= last; minor++)
            {
                int x = alongX ? major : minor;
                int y = alongX ? minor : major;
                double distance = DistanceToSegment(x, y, x0, y0, dx, dy, lengthSquared);
                double coverage = antiAlias
                    ? Math.Clamp(halfWidth + 0.5 - distance, 0, 1)
                    : distance <= halfWidth + 1e-9 ? 1 : 0;
                if (coverage > 0)
                    plot(x, y, coverage * strength);
            }
        }
    }

    private static double DistanceToSegment(double px, double py, double x0, double y0, double dx, double dy, double lengthSquared)
    {
        double t = lengthSquared == 0 ? 0 : Math.Clamp(((px - x0) * dx + (py - y0) * dy) / lengthSquared, 0, 1);
        double nearestX = x0 + t * dx - px;
        double nearestY = y0 + t * dy - py;
        return Math.Sqrt(nearestX * nearestX + nearestY * nearestY);
    }
}
