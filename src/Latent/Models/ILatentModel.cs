using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>
/// A model with a latent space to explore: codes z ~ N(0, I) of <see cref="LatentDim"/> values decoded into examples
/// (a GAN's generator, a VAE's decoder), optionally for a chosen class.
/// </summary>
/// <remarks>The latent tools of <see cref="LatentSpace"/> (interpolation, arithmetic) work on any such model.</remarks>
public interface ILatentModel : ISampler
{
    /// <summary>Dimensions of z.</summary>
    int LatentDim { get; }

    /// <summary>The number of classes the model is conditioned on; 0 for an unconditional model.</summary>
    int Classes { get; }

    /// <summary>Decodes codes (N, <see cref="LatentDim"/>) into examples, in evaluation mode without gradients.</summary>
    /// <param name="z">Latent codes on the model's device.</param>
    /// <param name="labels">(N) int64 classes for a conditional model; must be null for an unconditional one.</param>
    Tensor Decode(Tensor z, Tensor? labels = null);

    /// <summary>Generates one example per entry of <paramref name="labels"/>, of that class (conditional models only).</summary>
    /// <remarks>Not an overload of <see cref="ISampler.Sample"/>: TorchSharp converts an int to a Tensor implicitly, so
    /// <c>Sample(100)</c> would bind to a Tensor overload declared here and ask for class 100.</remarks>
    /// <param name="labels">(N) int64 classes in [0, <see cref="Classes"/>).</param>
    /// <param name="rng">The generator for the codes; the model's noise stream when null.</param>
    Tensor SampleClasses(Tensor labels, Generator? rng = null);

    /// <summary>The device the model's parameters live on.</summary>
    Device Device { get; }
}
