using System.Globalization;

namespace Latent.Imaging;

/// <summary>An opaque 8-bit sRGB color, with the small palette Latent's plots use.</summary>
/// <remarks>
/// The named colors are chosen to stay distinct on a white background and for the common forms of
/// color blindness: real data is a neutral grey, generated data orange, a target density blue.
/// Transparency is not part of the color; <see cref="Canvas.BlendPixel"/> takes an alpha instead.
/// </remarks>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Pure white, the background of every plot.</summary>
    public static Rgb White { get; } = new(255, 255, 255);

    /// <summary>Pure black.</summary>
    public static Rgb Black { get; } = new(0, 0, 0);

    /// <summary>Near-black for titles, labels and tick values.</summary>
    public static Rgb Ink { get; } = new(34, 34, 34);

    /// <summary>Dark grey for the axis frame and tick marks.</summary>
    public static Rgb Axis { get; } = new(68, 68, 68);

    /// <summary>Very light grey for grid lines behind the data.</summary>
    public static Rgb Grid { get; } = new(232, 232, 232);

    /// <summary>Mid grey for samples of the real data distribution.</summary>
    public static Rgb RealData { get; } = new(150, 150, 150);

    /// <summary>Orange for generated samples.</summary>
    public static Rgb Generated { get; } = new(240, 120, 20);

    /// <summary>Blue for a target density or a second generated set.</summary>
    public static Rgb Blue { get; } = new(31, 119, 180);

    /// <summary>Green.</summary>
    public static Rgb Green { get; } = new(44, 160, 44);

    /// <summary>Red, also used for markers such as mixture centers.</summary>
    public static Rgb Red { get; } = new(214, 39, 40);

    /// <summary>Purple.</summary>
    public static Rgb Purple { get; } = new(148, 103, 189);

    /// <summary>Brown.</summary>
    public static Rgb Brown { get; } = new(140, 86, 75);

    /// <summary>Teal.</summary>
    public static Rgb Teal { get; } = new(23, 190, 207);

    /// <summary>Colors for successive series (loss curves, classes), in order: blue, orange, green, red, purple, brown, teal.</summary>
    public static IReadOnlyList<Rgb> SeriesPalette { get; } = [Blue, Generated, Green, Red, Purple, Brown, Teal];

    /// <summary>The palette color for series number <paramref name="index"/>, cycling when there are more series than colors.</summary>
    /// <param name="index">Zero-based series index; must be ≥ 0.</param>
    public static Rgb ForSeries(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return SeriesPalette[index % SeriesPalette.Count];
    }

    /// <summary>Parses <c>#rrggbb</c> or <c>rrggbb</c> (hexadecimal, either case).</summary>
    /// <exception cref="ArgumentException">The text is not six hexadecimal digits with an optional leading <c>#</c>.</exception>
    public static Rgb FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        string digits = hex.StartsWith('#') ? hex[1..] : hex;
        if (digits.Length != 6 || !uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
            throw new ArgumentException($"color \"{hex}\" is not a hex color; expected #rrggbb, e.g. #1f77b4", nameof(hex));
        return new((byte)(value >> 16), (byte)(value >> 8), (byte)value);
    }

    /// <summary>The color a fraction <paramref name="amount"/> of the way from this color to <paramref name="other"/>.</summary>
    /// <param name="other">The color at <paramref name="amount"/> = 1.</param>
    /// <param name="amount">0 gives this color, 1 gives <paramref name="other"/>; values outside [0, 1] are clamped.</param>
    public Rgb Mix(Rgb other, double amount)
    {
        double t = double.IsNaN(amount) ? 0 : Math.Clamp(amount, 0, 1);
        return new(Channel(R, other.R, t), Channel(G, other.G, t), Channel(B, other.B, t));
    }

    /// <summary>A lighter tint: this color mixed with white by <paramref name="amount"/>.</summary>
    public Rgb Lighten(double amount) => Mix(White, amount);

    /// <summary>The color as <c>#rrggbb</c>.</summary>
    public override string ToString() => $"#{R:x2}{G:x2}{B:x2}";

    private static byte Channel(byte from, byte to, double t) => (byte)Math.Round(from + (to - from) * t);
}
