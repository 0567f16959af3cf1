namespace Latent.Imaging;

/// <summary>One curve for <see cref="LinePlot"/>, such as a loss over training steps.</summary>
/// <param name="Label">Legend text; empty to leave the curve out of the legend.</param>
/// <param name="X">Horizontal coordinates in drawing order; as many as <paramref name="Y"/>.</param>
/// <param name="Y">Vertical coordinates; as many as <paramref name="X"/>. Points with a non-finite coordinate are skipped and their neighbours joined.</param>
/// <param name="Color">Line color, e.g. <see cref="Rgb.ForSeries"/>.</param>
public sealed record LineSeries(string Label, double[] X, double[] Y, Rgb Color);
