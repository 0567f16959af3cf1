using static TorchSharp.torch;

namespace Latent.Models.Corruption;

/// <summary>Noise a denoising autoencoder adds to its input; drawn afresh at every step.</summary>
public interface ICorruption
{
    /// <summary>A corrupted copy of <paramref name="clean"/>; the input is not modified.</summary>
    Tensor Apply(Tensor clean, Generator noise);
}
