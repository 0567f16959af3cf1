namespace Latent.Imaging;

/// <summary>What every plot shares: title, axis labels, size, axis ranges and aspect.</summary>
/// <param name="Title">Text above the plot; null or empty for none.</param>
/// <param name="XLabel">Text under the x axis; null or empty for none.</param>
/// <param name="YLabel">Text beside the y axis, reading upward; null or empty for none.</param>
/// <param name="Width">Image width in pixels, ≥ 1 (and large enough for the labels); default 640.</param>
/// <param name="Height">Image height in pixels, ≥ 1 (and large enough for the labels); default 480.</param>
/// <param name="XRange">Fixed x-axis range (Min &lt; Max, both finite); null fits the data with 5 % padding. Data outside is clipped.</param>
/// <param name="YRange">Fixed y-axis range (Min &lt; Max, both finite); null fits the data with 5 % padding. Data outside is clipped.</param>
/// <param name="EqualAspect">Whether one data unit spans as many pixels on both axes (a circle stays round); the narrower range is widened about its centre. Default false.</param>
/// <param name="ShowLegend">Whether series with a non-empty label are listed in a legend inside the plot, in the corner that hides the least data. Default true.</param>
public sealed record PlotOptions(
    string? Title = null,
    string? XLabel = null,
    string? YLabel = null,
    int Width = 640,
    int Height = 480,
    (double Min, double Max)? XRange = null,
    (double Min, double Max)? YRange = null,
    bool EqualAspect = false,
    bool ShowLegend = true)
{
    /// <summary>Throws when a size is not positive or a fixed range is empty, reversed or not finite.</summary>
    internal void Validate()
    {
        if (Width < 1)
            throw new ArgumentException($"options.Width is {Width}; expected a positive number of pixels", "options");
        if (Height < 1)
            throw new ArgumentException($"options.Height is {Height}; expected a positive number of pixels", "options");
        ValidateRange(XRange, nameof(XRange));
        ValidateRange(YRange, nameof(YRange));
    }

    /// <summary>Throws when <paramref name="range"/> is set but not a finite interval with Min &lt; Max.</summary>
    internal static void ValidateRange((double Min, double Max)? range, string name)
    {
        if (range is not { } value)
            return;
        if (!double.IsFinite(value.Min) || !double.IsFinite(value.Max) || !(value.Min < value.Max))
            throw new ArgumentException($"{name} is ({value.Min}, {value.Max}); expected finite Min < Max", name);
    }
}
