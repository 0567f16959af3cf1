namespace Latent.Nets;

/// <summary>The shape of a <see cref="DcganGenerator"/>: latent size, image size and channels, width and options.</summary>
/// <param name="LatentDim">The length of z, ≥ 1 (100 in Radford et al. 2016).</param>
/// <param name="ImageSize">The side of the square images, 28 or a power of two ≥ 8 (28 starts from 7×7, the others from 4×4).</param>
/// <param name="Channels">The image channels, ≥ 1 (1 for MNIST, 3 for RGB).</param>
/// <param name="Width">ngf, the channels of the last hidden layer, ≥ 1; each earlier layer has twice the next one's. 64 by default (the PyTorch DCGAN tutorial).</param>
/// <param name="Output">The activation on the image; Tanh by default, for data scaled to [−1, 1] (LeakyReLU would use slope 0.2).</param>
/// <param name="BatchNorm">BatchNorm2d after every hidden transposed convolution (never on the output); on by default, as in DCGAN.</param>
/// <param name="Init">How weights are drawn; N(0, 0.02²) with BatchNorm weight N(1, 0.02²) by default (Radford et al. 2016).</param>
/// <param name="FlatOutput">Returns (N, Channels·ImageSize²) instead of (N, Channels, ImageSize, ImageSize), to match flat data
/// batches (a gradient penalty mixes real and fake, which must have one shape); off by default.</param>
public sealed record DcganGeneratorSpec(
    int LatentDim,
    int ImageSize,
    int Channels,
    int Width = 64,
    Activation Output = Activation.Tanh,
    bool BatchNorm = true,
    Initializer Init = Initializer.DcganNormal,
    bool FlatOutput = false);
