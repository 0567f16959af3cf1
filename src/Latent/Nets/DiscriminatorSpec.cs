namespace Latent.Nets;

/// <summary>The shape of an MLP <see cref="Discriminator"/> (or critic): body widths, activation and stabilizers.</summary>
/// <param name="Input">The number of input features (784 for a flattened 28×28 image), ≥ 1.</param>
/// <param name="Hidden">The body's hidden widths, at least one, each ≥ 1 ([512, 256] in the PyTorch tutorial's MNIST GAN).</param>
/// <param name="Activation">The activation after every body layer; ReLU by default (LeakyReLU is the GAN literature's usual choice).</param>
/// <param name="Dropout">The dropout probability after every body layer, in [0, 1); 0 by default (0.3 in the MNIST GAN).</param>
/// <param name="SpectralNorm">Spectral normalization of every Linear, head included (Miyato et al. 2018); off by default.</param>
/// <param name="MinibatchStdDev">Appends the batch-spread feature before the head (Karras et al. 2018); off by default.</param>
/// <param name="MinibatchDiscrimination">Appends minibatch-discrimination features before the head (Salimans et al. 2016); none by default.</param>
/// <param name="Init">How weights are drawn; libtorch's default unless set.</param>
/// <param name="LeakySlope">The negative slope of LeakyReLU, ≥ 0; 0.2 by default.</param>
/// <param name="BatchNorm">BatchNorm1d after every body activation; off by default (and unsuited to WGAN-GP, whose penalty is per sample).</param>
public sealed record DiscriminatorSpec(
    int Input,
    int[] Hidden,
    Activation Activation = Activation.ReLU,
    double Dropout = 0,
    bool SpectralNorm = false,
    bool MinibatchStdDev = false,
    MinibatchDiscriminationSpec? MinibatchDiscrimination = null,
    Initializer Init = Initializer.Default,
    double LeakySlope = 0.2,
    bool BatchNorm = false);
