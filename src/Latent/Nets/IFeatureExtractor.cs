using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>A discriminator that exposes its penultimate features, which feature matching compares between real and fake batches.</summary>
/// <remarks>
/// Feature matching (Salimans et al. 2016, §3.1) trains the generator to match the mean of these features over real
/// data. They come before any minibatch layer, so they describe each example on its own.
/// </remarks>
public interface IFeatureExtractor
{
    /// <summary>The features of a batch, (N, F), with the graph kept so that gradients reach the input.</summary>
    /// <param name="input">A batch in the shape the discriminator takes.</param>
    Tensor Features(Tensor input);
}
