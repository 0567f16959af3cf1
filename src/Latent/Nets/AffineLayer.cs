using TorchSharp.Modules;

namespace Latent.Nets;

/// <summary>One layer of a plain perceptron: y = activation(x·Wᵀ + b).</summary>
/// <param name="Linear">The layer's weight (out, in) and bias (out).</param>
/// <param name="Activation">What follows it.</param>
/// <param name="LeakySlope">The negative slope when <paramref name="Activation"/> is LeakyReLU.</param>
internal sealed record AffineLayer(Linear Linear, Activation Activation, double LeakySlope);
