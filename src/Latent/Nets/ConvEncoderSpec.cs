namespace Latent.Nets;

/// <summary>The shape of a <see cref="ConvEncoder"/>: image size and channels, output width, depth and options.</summary>
/// <param name="ImageSize">The side of the square images, ≥ 1 and divisible by 2^Downsamples (28 with 2 ends at 7×7, 32 with 3 at 4×4).</param>
/// <param name="Channels">The image channels, ≥ 1.</param>
/// <param name="Outputs">The width of the output, ≥ 1: the code of an autoencoder, or 2·latent (μ and log σ²) for a VAE.</param>
/// <param name="Width">The channels of the first convolution, ≥ 1; each later one doubles them. 32 by default.</param>
/// <param name="Downsamples">The number of stride-2 convolutions, ≥ 1; 2 by default.</param>
/// <param name="Activation">The activation after every convolution; ReLU by default.</param>
/// <param name="BatchNorm">BatchNorm2d between every convolution and its activation; off by default.</param>
/// <param name="Init">How weights are drawn; libtorch's default unless set.</param>
/// <param name="LeakySlope">The negative slope of <see cref="Activation.LeakyReLU"/>, ≥ 0; 0.2 by default.</param>
public sealed record ConvEncoderSpec(
    int ImageSize,
    int Channels,
    int Outputs,
    int Width = 32,
    int Downsamples = 2,
    Activation Activation = Activation.ReLU,
    bool BatchNorm = false,
    Initializer Init = Initializer.Default,
    double LeakySlope = 0.2);
