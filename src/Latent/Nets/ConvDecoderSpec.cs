namespace Latent.Nets;

/// <summary>The shape of a <see cref="ConvDecoder"/>: input width, image size and channels, depth and options.</summary>
/// <param name="Inputs">The width of the input (the code or latent z), ≥ 1.</param>
/// <param name="ImageSize">The side of the square images, ≥ 1 and divisible by 2^Upsamples (28 with 2 starts at 7×7, 32 with 3 at 4×4).</param>
/// <param name="Channels">The image channels, ≥ 1.</param>
/// <param name="Width">The channels of the last hidden map, ≥ 1; each earlier one has twice the next one's. 32 by default.</param>
/// <param name="Upsamples">The number of stride-2 transposed convolutions, ≥ 1; 2 by default.</param>
/// <param name="Activation">The activation after the Linear and every hidden transposed convolution; ReLU by default.</param>
/// <param name="Output">The activation on the image; Sigmoid by default, for pixels in [0, 1] and a BCE reconstruction loss.</param>
/// <param name="BatchNorm">BatchNorm2d before every hidden activation (never on the output); off by default.</param>
/// <param name="Init">How weights are drawn; libtorch's default unless set.</param>
/// <param name="LeakySlope">The negative slope of <see cref="Activation.LeakyReLU"/>, ≥ 0; 0.2 by default.</param>
/// <param name="FlatOutput">Returns (N, Channels·ImageSize²) instead of (N, Channels, ImageSize, ImageSize), to match flat data
/// batches (a reconstruction loss needs the target's shape); off by default.</param>
public sealed record ConvDecoderSpec(
    int Inputs,
    int ImageSize,
    int Channels,
    int Width = 32,
    int Upsamples = 2,
    Activation Activation = Activation.ReLU,
    Activation Output = Activation.Sigmoid,
    bool BatchNorm = false,
    Initializer Init = Initializer.Default,
    double LeakySlope = 0.2,
    bool FlatOutput = false);
