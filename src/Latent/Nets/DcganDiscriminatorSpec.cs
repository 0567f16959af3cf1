namespace Latent.Nets;

/// <summary>The shape of a <see cref="DcganDiscriminator"/> (or critic): image size and channels, width and stabilizers.</summary>
/// <param name="ImageSize">The side of the square images, 28 or a power of two ≥ 8 (28 ends at 7×7, the others at 4×4).</param>
/// <param name="Channels">The image channels, ≥ 1 (1 for MNIST, 3 for RGB; one more when a label is joined as a channel).</param>
/// <param name="Width">ndf, the channels of the first convolution, ≥ 1; each later one doubles them. 64 by default (the PyTorch DCGAN tutorial).</param>
/// <param name="BatchNorm">BatchNorm2d after every convolution but the first and the last; on by default, as in DCGAN.
/// Turn it off for a WGAN-GP critic, whose penalty is per sample and must not mix the batch (Gulrajani et al. 2017, §4).</param>
/// <param name="LeakySlope">The negative slope of the LeakyReLU after every hidden convolution, ≥ 0; 0.2 by default (Radford et al. 2016).</param>
/// <param name="SpectralNorm">Wraps every convolution, and a Linear head, in <see cref="Nets.SpectralNorm"/> (Miyato et al. 2018); off by default.</param>
/// <param name="MinibatchStdDev">Appends the batch-spread channel before the last convolution (Karras et al. 2018); off by default.</param>
/// <param name="MinibatchDiscrimination">Replaces the last convolution by flatten → minibatch discrimination → Linear to one
/// score (Salimans et al. 2016); none by default.</param>
/// <param name="Init">How weights are drawn; N(0, 0.02²) with BatchNorm weight N(1, 0.02²) by default (Radford et al. 2016).</param>
public sealed record DcganDiscriminatorSpec(
    int ImageSize,
    int Channels,
    int Width = 64,
    bool BatchNorm = true,
    double LeakySlope = 0.2,
    bool SpectralNorm = false,
    bool MinibatchStdDev = false,
    MinibatchDiscriminationSpec? MinibatchDiscrimination = null,
    Initializer Init = Initializer.DcganNormal);
