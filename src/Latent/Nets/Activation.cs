namespace Latent.Nets;

/// <summary>The nonlinearity after a layer of an <see cref="Mlp"/>, a <see cref="Discriminator"/>, a <see cref="ConvEncoder"/> or a <see cref="ConvDecoder"/>, or on a generator's output.</summary>
public enum Activation
{
    /// <summary>No activation: the layer's output is passed on as it is (the identity).</summary>
    None,

    /// <summary>max(0, x).</summary>
    ReLU,

    /// <summary>max(0, x) + slope · min(0, x); the slope is the spec's <c>LeakySlope</c> (0.2 by default, as in DCGAN).</summary>
    LeakyReLU,

    /// <summary>tanh(x), in (−1, 1): the usual generator output for data scaled to [−1, 1].</summary>
    Tanh,

    /// <summary>1 / (1 + e^(−x)), in (0, 1): for data scaled to [0, 1]; never on a discriminator, whose losses take raw scores.</summary>
    Sigmoid,
}
