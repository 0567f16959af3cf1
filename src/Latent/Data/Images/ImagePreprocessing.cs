using static TorchSharp.torch;

namespace Latent.Data.Images;

/// <summary>
/// How stored images (bytes 0–255) become model inputs: scaled linearly to [<see cref="Low"/>, <see cref="High"/>],
/// padded to a square of <see cref="PadTo"/> pixels, and flattened to rows for multilayer perceptrons.
/// </summary>
/// <remarks>
/// [−1, 1] suits a generator that ends in tanh, [0, 1] a Bernoulli (sigmoid) decoder scored by binary cross-entropy.
/// Padding adds background (the value 0 → <see cref="Low"/>) evenly around the image: MNIST's 28 × 28 becomes 32 × 32
/// for a DCGAN that doubles 4 → 8 → 16 → 32.
/// </remarks>
/// <param name="Low">The value of a black (0) pixel.</param>
/// <param name="High">The value of a white (255) pixel; above <paramref name="Low"/>.</param>
/// <param name="PadTo">The side of the padded square, at least the image's own; null for no padding.</param>
/// <param name="Flatten">Hand out (N, C·H·W) rows instead of (N, C, H, W) images.</param>
public sealed record ImagePreprocessing(double Low = 0, double High = 1, int? PadTo = null, bool Flatten = false)
{
    /// <summary>Scaled to [−1, 1], for tanh generators.</summary>
    public static ImagePreprocessing Symmetric { get; } = new(-1, 1);

    /// <summary>Scaled to [0, 1], for sigmoid decoders and binary cross-entropy.</summary>
    public static ImagePreprocessing Unit { get; } = new(0, 1);

    /// <summary>The height and width of a preprocessed image whose stored size is <paramref name="height"/> × <paramref name="width"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="PadTo"/> is smaller than the image.</exception>
    public (int Height, int Width) OutputSize(int height, int width)
    {
        Validate();
        if (PadTo is not { } side)
            return (height, width);
        if (side < height || side < width)
            throw new ArgumentException($"image size {side}: smaller than the {height} × {width} images; expected at least {Math.Max(height, width)} (images are padded, never cropped)");
        return (side, side);
    }

    /// <summary>Turns stored pixels into model inputs.</summary>
    /// <param name="pixels">uint8 (N, C, H, W).</param>
    /// <returns>float32 (N, C, S, S), or (N, C·S·S) with <see cref="Flatten"/>.</returns>
    public Tensor Apply(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.dim() != 4 || pixels.dtype != ScalarType.Byte)
            throw new ArgumentException($"pixels are {pixels.dtype} [{string.Join(", ", pixels.shape)}]; expected uint8 (N, C, H, W)", nameof(pixels));
        var (height, width) = OutputSize((int)pixels.shape[2], (int)pixels.shape[3]);
        using var scope = NewDisposeScope();
        var x = pixels.to(float32) * (float)((High - Low) / 255.0) + (float)Low;
        if (height != pixels.shape[2] || width != pixels.shape[3])
        {
            long top = (height - pixels.shape[2]) / 2, left = (width - pixels.shape[3]) / 2;
            x = nn.functional.pad(x, [left, width - pixels.shape[3] - left, top, height - pixels.shape[2] - top], value: Low);
        }
        return (Flatten ? x.flatten(1) : x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Maps model-space images back to [0, 1] for display: (N, C·S·S) rows or (N, C, S, S) images → (N, C, S, S),
    /// clamped, on the CPU.
    /// </summary>
    /// <param name="images">What a generator or decoder produced, in [<see cref="Low"/>, <see cref="High"/>].</param>
    /// <param name="channels">C.</param>
    /// <param name="height">S rows.</param>
    /// <param name="width">S columns.</param>
    public Tensor ToUnitRange(Tensor images, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(images);
        long expected = (long)channels * height * width;
        if (images.dim() < 2 || images[0].numel() != expected)
            throw new ArgumentException($"images [{string.Join(", ", images.shape)}]; expected (N, {expected}) or (N, {channels}, {height}, {width})", nameof(images));
        using var scope = NewDisposeScope();
        var unit = ((images.detach().cpu().to(float32) - Low) / (High - Low)).clamp(0, 1);
        return unit.reshape(images.shape[0], channels, height, width).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Undoes <see cref="Apply"/> up to rounding: model-space images → (N, C, H, W) in [0, 1] at the stored size, with the
    /// padding cut away, on the CPU. Evaluation compares generated and real images in this form, which is what
    /// Latent's classifiers read.
    /// </summary>
    /// <param name="images">What a generator or decoder produced, rows or images, in the model's size.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H, the stored (unpadded) rows.</param>
    /// <param name="width">W, the stored columns.</param>
    public Tensor ToStoredImages(Tensor images, int channels, int height, int width)
    {
        var (paddedHeight, paddedWidth) = OutputSize(height, width);
        using var scope = NewDisposeScope();
        var unit = ToUnitRange(images, channels, paddedHeight, paddedWidth);
        long top = (paddedHeight - height) / 2, left = (paddedWidth - width) / 2;
        return unit.slice(2, top, top + height, 1).slice(3, left, left + width, 1).contiguous().MoveToOuterDisposeScope();
    }

    private void Validate()
    {
        if (!double.IsFinite(Low) || !double.IsFinite(High) || !(High > Low))
            throw new ArgumentException($"pixel range [{Low}, {High}]: expected finite values with low < high, such as [-1, 1] or [0, 1]");
        if (PadTo is < 1)
            throw new ArgumentException($"image size {PadTo}: expected a positive number of pixels");
    }
}
