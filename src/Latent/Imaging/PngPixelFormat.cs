namespace Latent.Imaging;

/// <summary>The layout of a pixel buffer handed to <see cref="PngEncoder"/>: 8 bits per channel, rows top to bottom, no padding.</summary>
public enum PngPixelFormat
{
    /// <summary>Three bytes per pixel: red, green, blue (PNG color type 2).</summary>
    Rgb8,

    /// <summary>Four bytes per pixel: red, green, blue, alpha, not premultiplied (PNG color type 6).</summary>
    Rgba8,
}
