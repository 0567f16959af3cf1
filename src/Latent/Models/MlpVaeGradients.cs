using Latent.Nets;
using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>
/// The gradients of a <see cref="VariationalAutoencoder"/>'s update when its encoder and decoder are plain perceptrons,
/// through <see cref="MlpChain"/>'s written-out backward instead of autograd (see <see cref="WrittenOutBackward"/>).
/// </summary>
/// <remarks>
/// <para>The step is the autograd path's: μ and log σ² from the encoder, z = μ + σ·ε with ε drawn in the same order,
/// loss = reconstruction + w·KL. Its derivatives, written out: ∂/∂z from the decoder's backward; then
/// ∂/∂μ = ∂/∂z + w·μ/N and ∂/∂log σ² = ∂/∂z · ε·σ/2 + w·(σ² − 1)/(2N), from z and from KL = ½/N·Σ(μ² + σ² − log σ²) − ½D.</para>
/// </remarks>
internal sealed class MlpVaeGradients
{
    private readonly MlpChain _encoder;
    private readonly MlpChain _decoder;
    private readonly int _latentDim;

    private MlpVaeGradients(MlpChain encoder, MlpChain decoder, int latentDim)
    {
        _encoder = encoder;
        _decoder = decoder;
        _latentDim = latentDim;
    }

    /// <summary>The written-out gradients for this VAE, or null when its networks or labels need autograd's.</summary>
    public static MlpVaeGradients? TryCreate(nn.Module encoder, nn.Module decoder, int classes, int latentDim)
    {
        if (classes > 0 || MlpChain.Of(encoder) is not { } encoderChain || MlpChain.Of(decoder) is not { } decoderChain)
            return null;
        return encoderChain.Outputs == 2 * latentDim ? new MlpVaeGradients(encoderChain, decoderChain, latentDim) : null;
    }

    /// <summary>
    /// Adds the gradient of reconstruction + <paramref name="klWeight"/>·KL at <paramref name="x"/> into the parameters'
    /// <c>grad</c> (zeroed by the caller); returns the loss and its two terms.
    /// </summary>
    /// <param name="x">The batch, (N, features).</param>
    /// <param name="reconstructionLoss">How reconstructions are scored.</param>
    /// <param name="klWeight">w, the KL term's weight at this step.</param>
    /// <param name="drawNoise">ε ~ N(0, I) shaped, typed and placed like its argument (μ), from the model's noise stream.</param>
    public (Tensor Loss, Tensor Reconstruction, Tensor Kl) AddGradients(Tensor x, ReconstructionLoss reconstructionLoss, double klWeight, Func<Tensor, Tensor> drawNoise)
    {
        var encoded = _encoder.Forward(x);
        using var noGraph = no_grad();
        var mu = encoded.Output.narrow(1, 0, _latentDim);            // (N, L)
        var logVar = encoded.Output.narrow(1, _latentDim, _latentDim);
        var std = logVar.mul(0.5).exp();
        var epsilon = drawNoise(mu);
        var z = addcmul(mu, std, epsilon, 1);
        var decoded = _decoder.Forward(z);
        var reconstruction = reconstructionLoss.Compute(decoded.Output, x);
        var kl = VariationalAutoencoder.KlDivergence(mu, logVar, std);
        var loss = reconstruction.add(kl, klWeight);

        var atCode = _decoder.Backward(decoded, reconstructionLoss.Gradient(decoded.Output, x), inputGradient: true)!; // ∂/∂z, (N, L)
        double klScale = klWeight / mu.shape[0];
        var atMu = atCode.add(mu, klScale);
        var atLogVar = atCode.mul(epsilon).mul_(std).mul_(0.5).add_(std.square().sub_(1), 0.5 * klScale);
        _encoder.Backward(encoded, cat([atMu, atLogVar], 1));
        return (loss, reconstruction, kl);
    }
}
