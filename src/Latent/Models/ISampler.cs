using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>A model that generates new examples from noise (a GAN's generator, a VAE's decoder).</summary>
public interface ISampler
{
    /// <summary>Generates <paramref name="n"/> examples, (n, features...), without gradients, in evaluation mode.</summary>
    /// <param name="n">At least 1.</param>
    /// <param name="rng">The generator for the latent codes; the model's own noise stream when null.</param>
    Tensor Sample(long n, Generator? rng = null);
}
