using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>Builds the module for an <see cref="Activation"/>, shared by every net that takes one in its spec.</summary>
internal static class ActivationLayer
{
    /// <summary>The activation's module, or null for <see cref="Activation.None"/> (the net then adds no layer).</summary>
    public static nn.Module<Tensor, Tensor>? Create(Activation activation, double leakySlope) => activation switch
    {
        Activation.None => null,
        Activation.ReLU => nn.ReLU(),
        Activation.LeakyReLU => nn.LeakyReLU(leakySlope),
        Activation.Tanh => nn.Tanh(),
        Activation.Sigmoid => nn.Sigmoid(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };
}
