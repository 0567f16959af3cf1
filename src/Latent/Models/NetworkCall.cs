using Latent.Nets;
using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>
/// Calls a network that is either plain, f(x), or label-conditioned, f(x, y): the families hold both kinds
/// behind one field, so that a conditional GAN or VAE is the same algorithm with labels passed along.
/// </summary>
internal static class NetworkCall
{
    /// <summary>Checks that <paramref name="network"/> is f(x) or f(x, y) and returns whether it reads labels.</summary>
    internal static bool IsConditional(nn.Module network, string role) => network switch
    {
        null => throw new ArgumentNullException(role),
        nn.Module<Tensor, Tensor, Tensor> => true,
        nn.Module<Tensor, Tensor> => false,
        _ => throw new ArgumentException($"the {role} is a {network.GetType().Name}; expected an nn.Module<Tensor, Tensor> or, conditioned on labels, an nn.Module<Tensor, Tensor, Tensor>", role),
    };

    /// <summary>f(x) for a plain network, f(x, y) for a conditional one (which then needs <paramref name="labels"/>).</summary>
    internal static Tensor Invoke(nn.Module network, Tensor input, Tensor? labels) => network switch
    {
        nn.Module<Tensor, Tensor, Tensor> conditional => conditional.call(input, labels ?? throw new ArgumentNullException(nameof(labels), $"{network.GetType().Name} is conditioned on labels; pass one class index per example")),
        nn.Module<Tensor, Tensor> plain => plain.call(input),
        _ => throw new ArgumentException($"{network.GetType().Name} is neither f(x) nor f(x, y)", nameof(network)),
    };

    /// <summary>The penultimate features of a discriminator, for feature matching: plain or label-conditioned.</summary>
    internal static Tensor Features(nn.Module discriminator, Tensor input, Tensor? labels) => discriminator switch
    {
        LabelConditioned conditional => conditional.Features(input, labels ?? throw new ArgumentNullException(nameof(labels))),
        IFeatureExtractor plain => plain.Features(input),
        _ => throw new InvalidOperationException($"{discriminator.GetType().Name} does not expose its features; feature matching needs an {nameof(IFeatureExtractor)}"),
    };

    /// <summary>Whether the discriminator scores each row from that row (and its label) alone: see <see cref="Discriminator.ScoresEachRowAlone"/>.</summary>
    internal static bool ScoresEachRowAlone(nn.Module discriminator) => discriminator switch
    {
        Discriminator plain => plain.ScoresEachRowAlone,
        LabelConditioned { Inner: Discriminator inner } => inner.ScoresEachRowAlone,
        _ => false,
    };

    /// <summary>Whether <see cref="Features"/> can read this discriminator's features.</summary>
    internal static bool HasFeatures(nn.Module discriminator) =>
        discriminator is IFeatureExtractor || discriminator is LabelConditioned { Inner: IFeatureExtractor };
}
