namespace Latent.Nets;

/// <summary>
/// The spatial plan of a DCGAN pair: the generator starts from a small square and doubles it, the discriminator
/// halves the image down to that square.
/// </summary>
/// <remarks>
/// The square is 4×4, or 7×7 for 28 px (MNIST's size is 7·2²); the kernel that maps it to or from 1×1 is as wide as
/// the square. Image sizes are therefore 28 and the powers of two from 8 up.
/// </remarks>
internal readonly record struct DcganLayout(int Start, int Doublings)
{
    /// <summary>The sizes the layout serves, for error messages.</summary>
    public const string SupportedSizes = "28 or a power of two ≥ 8 (8, 16, 32, 64, 128, …)";

    /// <summary>The layout for <paramref name="imageSize"/>, or null when the size is not supported.</summary>
    public static DcganLayout? For(int imageSize)
    {
        if (imageSize == 28)
            return new DcganLayout(7, 2);
        if (imageSize < 8 || !int.IsPow2(imageSize))
            return null;
        return new DcganLayout(4, int.Log2(imageSize) - 2);
    }

    /// <summary>The channels at the start square, Width·2^(d−1); the widest layer.</summary>
    public long WidestChannels(int width) => (long)width << (Doublings - 1);
}
