namespace Latent.Imaging;

/// <summary>One set of points for <see cref="ScatterPlot"/>, such as real or generated samples.</summary>
/// <param name="Label">Legend text; empty to leave the series out of the legend.</param>
/// <param name="X">Horizontal coordinates; as many as <paramref name="Y"/>. Points with a non-finite coordinate are skipped.</param>
/// <param name="Y">Vertical coordinates; as many as <paramref name="X"/>.</param>
/// <param name="Color">Dot color, e.g. <see cref="Rgb.RealData"/> or <see cref="Rgb.Generated"/>.</param>
/// <param name="Radius">Dot radius in pixels, ≥ 0 (0 is one pixel, 1 a 3 × 3 dot); default 1.</param>
/// <param name="Opacity">Dot opacity in (0, 1]; below 1, dense regions show darker. Default 1.</param>
public sealed record PointSeries(string Label, double[] X, double[] Y, Rgb Color, int Radius = 1, double Opacity = 1);
