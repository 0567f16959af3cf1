namespace Latent.Nets;

/// <summary>How <see cref="LabelConditioned"/> joins a label's embedding to a network's input.</summary>
public enum LabelJoin
{
    /// <summary>
    /// Flattens the input to (N, F) and appends the embedding, (N, F + E): the conditional GAN of the PyTorch tutorial
    /// (noise ++ a 50-wide embedding for G, image ++ a 784-wide one for D), and a conditional VAE's encoder or decoder.
    /// </summary>
    Features,

    /// <summary>
    /// Reshapes the embedding to (N, 1, H, W) and appends it as one more channel, (N, C + 1, H, W); E must be H·W. For
    /// convolutional discriminators, which then take C + 1 channels.
    /// </summary>
    Channel,
}
