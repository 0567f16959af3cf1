namespace Latent.Imaging;

/// <summary>The symbol <see cref="ScatterPlot"/> draws for a <see cref="MarkerSeries"/>.</summary>
public enum MarkerShape
{
    /// <summary>A diagonal cross, ×.</summary>
    Cross,

    /// <summary>An upright cross, +.</summary>
    Plus,

    /// <summary>A hollow circle.</summary>
    Circle,
}
