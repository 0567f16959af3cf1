namespace Latent.Nets;

/// <summary>How the weights of a network's layers are drawn when it is built, from libtorch's global generator.</summary>
/// <remarks>
/// Under every initializer other than <see cref="Default"/>, biases start at 0. Fan-in and fan-out of a weight of
/// shape (out, in, k…) are in·k… and out·k…; a transposed convolution stores (in, out, k…), and its fans are read
/// the same way, by role (PyTorch's <c>_calculate_fan_in_and_fan_out</c> reads them by position, swapping them).
/// </remarks>
public enum Initializer
{
    /// <summary>libtorch's own: Kaiming-uniform weights, uniform biases in ±1/√fan_in, BatchNorm weight 1 and bias 0.</summary>
    Default,

    /// <summary>W ~ N(0, 2 / (fan_in + fan_out)) (Glorot and Bengio 2010), for tanh and sigmoid networks.</summary>
    XavierNormal,

    /// <summary>W ~ N(0, 2 / fan_in) (He et al. 2015), for ReLU networks.</summary>
    HeNormal,

    /// <summary>W ~ N(0, 0.02²), BatchNorm weight ~ N(1, 0.02²) and bias 0 (Radford et al. 2016, DCGAN).</summary>
    DcganNormal,
}
