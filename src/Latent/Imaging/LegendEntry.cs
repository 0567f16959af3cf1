namespace Latent.Imaging;

/// <summary>One line of a plot legend.</summary>
/// <param name="Label">The text; entries with an empty label are not listed.</param>
/// <param name="Color">The series color.</param>
/// <param name="Swatch">How the series is shown beside the text.</param>
/// <param name="Shape">The symbol, for <see cref="LegendSwatch.Marker"/>.</param>
internal sealed record LegendEntry(string Label, Rgb Color, LegendSwatch Swatch, MarkerShape Shape = MarkerShape.Cross);
