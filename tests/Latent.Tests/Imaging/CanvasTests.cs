using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class CanvasTests
{
    [Fact]
    public void NewCanvasIsFilledWithTheBackground()
    {
        var canvas = new Canvas(4, 3, Rgb.Blue);

        Assert.Equal(4 * 3 * 3, canvas.Pixels.Length);
        Assert.Equal(Rgb.Blue, canvas.GetPixel(0, 0));
        Assert.Equal(Rgb.Blue, canvas.GetPixel(3, 2));
    }

    [Fact]
    public void NonPositiveSizesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Canvas(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Canvas(10, -3));
    }

    [Fact]
    public void PixelsOutsideTheCanvasAreIgnoredWhenDrawingAndRefusedWhenRead()
    {
        var canvas = new Canvas(3, 3);

        canvas.SetPixel(-1, 0, Rgb.Black);
        canvas.SetPixel(3, 1, Rgb.Black);
        canvas.FillRect(-10, -10, 5, 5, Rgb.Black);

        Assert.Empty(InkPixels(canvas));
        Assert.Throws<ArgumentOutOfRangeException>(() => canvas.GetPixel(3, 0));
    }

    [Fact]
    public void BlendPixelMixesByAlpha()
    {
        var canvas = new Canvas(1, 1);

        canvas.BlendPixel(0, 0, Rgb.Black, 0.25);

        // 255 − 0.25 · 255 = 191.25
        Assert.Equal(new Rgb(191, 191, 191), canvas.GetPixel(0, 0));
    }

    [Fact]
    public void CrispHorizontalLineCoversExactlyItsPixels()
    {
        var canvas = new Canvas(10, 6);

        canvas.DrawLine(2, 3, 7, 3, Rgb.Black, antiAlias: false);

        Assert.Equal(Enumerable.Range(2, 6).Select(x => (x, 3)).ToHashSet(), InkPixels(canvas));
    }

    [Fact]
    public void AntiAliasedDiagonalLineStaysWithinHalfItsWidthPlusOnePixel()
    {
        var canvas = new Canvas(40, 40);

        canvas.DrawLine(5, 8, 30, 20, Rgb.Black, thickness: 2);

        var ink = InkPixels(canvas);
        Assert.True(ink.Count > 25);
        Assert.All(ink, pixel => Assert.True(DistanceToSegment(pixel, (5, 8), (30, 20)) <= 2.0, $"pixel {pixel} is far from the line"));
        Assert.Equal(Rgb.Black, canvas.GetPixel(10, 10)); // 0.36 pixels from the line, which passes (10, 10.4)
    }

    [Fact]
    public void PolylineBreaksAtANonFinitePoint()
    {
        var canvas = new Canvas(40, 10);

        canvas.DrawPolyline([2, 12, double.NaN, 25, 35], [5, 5, double.NaN, 5, 5], Rgb.Black, thickness: 1);

        Assert.Equal(Rgb.Black, canvas.GetPixel(7, 5));
        Assert.Equal(Rgb.White, canvas.GetPixel(18, 5));
        Assert.Equal(Rgb.Black, canvas.GetPixel(30, 5));
    }

    [Fact]
    public void NonFiniteCoordinatesDrawNothing()
    {
        var canvas = new Canvas(10, 10);

        canvas.DrawLine(double.NaN, 0, 5, 5, Rgb.Black);
        canvas.FillCircle(double.PositiveInfinity, 3, 2, Rgb.Black);
        canvas.DrawPolyline([double.NaN, double.NaN], [1, 2], Rgb.Black);

        Assert.Empty(InkPixels(canvas));
    }

    [Fact]
    public void DotOfRadiusOneIsAThreeByThreeSquare()
    {
        var canvas = new Canvas(9, 9);

        canvas.Dot(4, 4, 1, Rgb.Black);

        var expected = new HashSet<(int, int)>();
        for (int y = 3; y <= 5; y++)
            for (int x = 3; x <= 5; x++)
                expected.Add((x, y));
        Assert.Equal(expected, InkPixels(canvas));
    }

    [Fact]
    public void FilledCircleCoversItsInteriorAndNothingBeyondItsRadius()
    {
        var canvas = new Canvas(30, 30);

        canvas.FillCircle(15, 15, 6, Rgb.Black);

        Assert.Equal(Rgb.Black, canvas.GetPixel(15, 15));
        Assert.Equal(Rgb.Black, canvas.GetPixel(20, 15));
        Assert.All(InkPixels(canvas), pixel => Assert.True(Math.Sqrt(Square(pixel.X - 15) + Square(pixel.Y - 15)) < 6.5 + 0.01));
    }

    [Fact]
    public void ClipRectangleLimitsDrawingUntilReset()
    {
        var canvas = new Canvas(10, 10);

        canvas.SetClip(2, 2, 3, 3);
        canvas.FillRect(0, 0, 10, 10, Rgb.Black);
        canvas.ResetClip();
        canvas.SetPixel(9, 9, Rgb.Black);

        var ink = InkPixels(canvas);
        Assert.Equal(10, ink.Count);
        Assert.All(ink.Where(p => p != (9, 9)), p => Assert.True(p.X is >= 2 and < 5 && p.Y is >= 2 and < 5));
    }

    [Fact]
    public void DrawRectOutlinesInsideItsBounds()
    {
        var canvas = new Canvas(10, 10);

        canvas.DrawRect(1, 2, 5, 4, Rgb.Black);

        // Perimeter of a 5 × 4 rectangle: 2 · 5 + 2 · 2 pixels.
        var ink = InkPixels(canvas);
        Assert.Equal(14, ink.Count);
        Assert.All(ink, p => Assert.True(p.X is 1 or 5 || p.Y is 2 or 5));
    }

    [Fact]
    public void TextIsDrawnInsideItsMeasuredBoxAndReachesEachEdge()
    {
        var canvas = new Canvas(120, 60);
        const string text = "Ab1 gq";
        var (width, height) = Canvas.MeasureText(text, scale: 2);

        canvas.DrawText(text, 10, 20, Rgb.Black, scale: 2);

        var ink = InkPixels(canvas);
        Assert.NotEmpty(ink);
        Assert.All(ink, p => Assert.True(p.X >= 10 && p.X < 10 + width && p.Y >= 20 && p.Y < 20 + height, $"ink at {p} outside the box"));
        // 'A' touches the left and top edges, 'q' the right edge, the descender of 'g' the bottom edge.
        Assert.Equal(10, ink.Min(p => p.X));
        Assert.Equal(20, ink.Min(p => p.Y));
        Assert.Equal(10 + width - 1, ink.Max(p => p.X));
        Assert.Equal(20 + height - 1, ink.Max(p => p.Y));
    }

    [Fact]
    public void CapitalsAreSevenPixelsTallPerScaleUnit()
    {
        var canvas = new Canvas(40, 40);

        canvas.DrawText("H", 5, 5, Rgb.Black, scale: 3);

        var ink = InkPixels(canvas);
        Assert.Equal(21, ink.Max(p => p.Y) - ink.Min(p => p.Y) + 1);
        Assert.Equal(15, ink.Max(p => p.X) - ink.Min(p => p.X) + 1);
    }

    [Fact]
    public void UpwardTextIsDrawnInsideTheTurnedBox()
    {
        var canvas = new Canvas(60, 100);
        const string text = "loss";
        var (width, height) = Canvas.MeasureText(text);

        canvas.DrawTextUpward(text, 20, 30, Rgb.Black);

        var ink = InkPixels(canvas);
        Assert.NotEmpty(ink);
        Assert.All(ink, p => Assert.True(p.X >= 20 && p.X < 20 + height && p.Y >= 30 && p.Y < 30 + width, $"ink at {p} outside the turned box"));
    }

    [Fact]
    public void MultilineTextMeasuresTheWidestLineAndBothLines()
    {
        var (oneWidth, oneHeight) = Canvas.MeasureText("step");
        var (twoWidth, twoHeight) = Canvas.MeasureText("step\n1");

        Assert.Equal(oneWidth, twoWidth);
        Assert.True(twoHeight > 2 * oneHeight - 1);
    }

    [Fact]
    public void EveryGlyphDrawsInkAndUnknownCharactersDrawABox()
    {
        string required = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,-+:()/%=_";
        Assert.All(required, c => Assert.True(BitmapFont.Has(c), $"no glyph for '{c}'"));

        foreach (char character in BitmapFont.Characters.Where(c => c != ' ').Append('\u2603'))
        {
            var canvas = new Canvas(12, 12);
            canvas.DrawText(character.ToString(), 1, 1, Rgb.Black);
            Assert.True(InkPixels(canvas).Count > 0, $"'{character}' draws nothing");
        }
    }

    [Fact]
    public void SavedCanvasDecodesToTheSamePixels()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "canvas.png");
        var canvas = new Canvas(20, 10);
        canvas.DrawText("Hi", 2, 1, Rgb.Generated);
        canvas.FillCircle(14, 5, 3, Rgb.Blue, 0.5);

        canvas.SavePng(path);

        Assert.Equal(canvas.Pixels.ToArray(), PngTestDecoder.Decode(File.ReadAllBytes(path)).Pixels);
    }

    internal static HashSet<(int X, int Y)> InkPixels(Canvas canvas)
    {
        var ink = new HashSet<(int X, int Y)>();
        for (int y = 0; y < canvas.Height; y++)
            for (int x = 0; x < canvas.Width; x++)
                if (canvas.GetPixel(x, y) != Rgb.White)
                    ink.Add((x, y));
        return ink;
    }

    private static double Square(double value) => value * value;

    private static double DistanceToSegment((int X, int Y) p, (double X, double Y) a, (double X, double Y) b)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y;
        double t = Math.Clamp(((p.X - a.X) * dx + (p.Y - a.Y) * dy) / (dx * dx + dy * dy), 0, 1);
        return Math.Sqrt(Square(a.X + t * dx - p.X) + Square(a.Y + t * dy - p.Y));
    }
}
