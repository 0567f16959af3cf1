namespace Latent.Imaging;

/// <summary>Draws <see cref="MarkerShape"/> symbols, for scatter plots and their legends.</summary>
internal static class MarkerPainter
{
    /// <summary>Draws a symbol centred on (<paramref name="x"/>, <paramref name="y"/>) with a white halo, so it stays visible over dense samples.</summary>
    /// <param name="canvas">Where to draw.</param>
    /// <param name="x">Column of the centre.</param>
    /// <param name="y">Row of the centre.</param>
    /// <param name="shape">The symbol.</param>
    /// <param name="size">Half the symbol's extent in pixels.</param>
    /// <param name="color">Symbol color.</param>
    public static void Draw(Canvas canvas, double x, double y, MarkerShape shape, int size, Rgb color)
    {
        const double stroke = 2;
        const double halo = stroke + 2;
        switch (shape)
        {
            case MarkerShape.Cross:
                foreach (var (width, ink) in new[] { (halo, Rgb.White), (stroke, color) })
                {
                    canvas.DrawLine(x - size, y - size, x + size, y + size, ink, width);
                    canvas.DrawLine(x - size, y + size, x + size, y - size, ink, width);
                }
                break;
            case MarkerShape.Plus:
                foreach (var (width, ink) in new[] { (halo, Rgb.White), (stroke, color) })
                {
                    canvas.DrawLine(x - size, y, x + size, y, ink, width);
                    canvas.DrawLine(x, y - size, x, y + size, ink, width);
                }
                break;
            case MarkerShape.Circle:
                canvas.DrawCircle(x, y, size, Rgb.White, halo);
                canvas.DrawCircle(x, y, size, color, stroke);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, "expected Cross, Plus or Circle");
        }
    }
}
