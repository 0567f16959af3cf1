using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>A model that generates new examples from noise (a GAN's generator, a VAE's decoder).</summary>
public interface ISampler
{
    /// <summary>Generates <paramref name="n"/> examples, (n, features...), without gradients, in evaluation mode.</summary>
    /// <param name="n">At least 1.</param>
    /// <param name="rng">
    /// The generator for the latent codes; the model's own noise stream when null, which advances the stream training
    /// draws from: pass a generator of your own to sample in the middle of training without changing its course.
    /// </param>
    Tensor Sample(long n, Generator? rng = null);
}
