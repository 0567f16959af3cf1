namespace Latent.Nets;

/// <summary>The shape of a multilayer perceptron: widths, activations and the stabilizers of its hidden layers.</summary>
/// <param name="Widths">[input, hidden…, output]: at least 2 entries, each ≥ 1. [2, 64, 64, 1] is two hidden layers of 64.</param>
/// <param name="Hidden">The activation after each hidden layer; ReLU by default.</param>
/// <param name="Output">The activation after the last layer; none by default (raw outputs, the usual for scores and for codes).</param>
/// <param name="BatchNorm">BatchNorm1d after each hidden activation; off by default.</param>
/// <param name="Dropout">The dropout probability after each hidden layer, in [0, 1); 0 (none) by default.</param>
/// <param name="Init">How weights are drawn; libtorch's default unless set.</param>
/// <param name="LeakySlope">The negative slope of <see cref="Activation.LeakyReLU"/>, ≥ 0; 0.2 by default (Radford et al. 2016).</param>
/// <param name="SpectralNorm">Wraps every Linear layer in <see cref="Nets.SpectralNorm"/> (Miyato et al. 2018); off by default.</param>
public sealed record MlpSpec(
    int[] Widths,
    Activation Hidden = Activation.ReLU,
    Activation Output = Activation.None,
    bool BatchNorm = false,
    double Dropout = 0,
    Initializer Init = Initializer.Default,
    double LeakySlope = 0.2,
    bool SpectralNorm = false);
