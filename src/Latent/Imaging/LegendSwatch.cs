namespace Latent.Imaging;

/// <summary>How a legend entry shows its series: the way the series itself is drawn.</summary>
internal enum LegendSwatch
{
    /// <summary>A dot, for scatter series.</summary>
    Point,

    /// <summary>A short thick line, for curves.</summary>
    Line,

    /// <summary>A filled block, for histogram bars.</summary>
    Bar,

    /// <summary>The series' marker symbol.</summary>
    Marker,
}
