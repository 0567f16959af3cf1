namespace Latent.Imaging;

/// <summary>Reference positions drawn over a scatter plot as symbols, such as the centres of a Gaussian mixture.</summary>
/// <param name="Label">Legend text; empty to leave the markers out of the legend.</param>
/// <param name="X">Horizontal coordinates; as many as <paramref name="Y"/>. Markers with a non-finite coordinate are skipped.</param>
/// <param name="Y">Vertical coordinates; as many as <paramref name="X"/>.</param>
/// <param name="Color">Symbol color, e.g. <see cref="Rgb.Red"/> or <see cref="Rgb.Ink"/> to stand out from the samples.</param>
/// <param name="Shape">The symbol; default a diagonal cross.</param>
/// <param name="Size">Half the symbol's extent in pixels, ≥ 1; default 5.</param>
public sealed record MarkerSeries(string Label, double[] X, double[] Y, Rgb Color, MarkerShape Shape = MarkerShape.Cross, int Size = 5);
