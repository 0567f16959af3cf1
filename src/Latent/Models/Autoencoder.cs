using Latent.Data;
using Latent.Models.Corruption;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>
/// An autoencoder: x̂ = decoder(encoder(x)), trained to reconstruct its input; with a corruption, a denoising autoencoder.
/// </summary>
/// <remarks>
/// The denoising variant (Vincent et al. 2008) encodes a corrupted copy x̃ and is scored against the
/// clean x, so it cannot learn the identity; the corruption is drawn afresh at every step from the
/// model's noise stream. Metrics per step: <c>loss</c>.
/// </remarks>
public sealed class Autoencoder : IGenerativeModel
{
    private readonly nn.Module<Tensor, Tensor> _encoder;
    private readonly nn.Module<Tensor, Tensor> _decoder;
    private readonly optim.Optimizer _optimizer;
    private readonly Generator _noise;

    /// <summary>Creates the model; it takes ownership of the networks and the optimizer.</summary>
    /// <param name="encoder">Maps (N, features) to (N, code).</param>
    /// <param name="decoder">Maps (N, code) back to (N, features).</param>
    /// <param name="optimizer">Over the parameters of both networks.</param>
    /// <param name="loss">How reconstructions are scored.</param>
    /// <param name="noise">The run's noise stream, for the corruption.</param>
    /// <param name="corruption">Noise on the input (a denoising autoencoder), or null.</param>
    public Autoencoder(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> decoder, optim.Optimizer optimizer,
                       ReconstructionLoss loss, Generator noise, ICorruption? corruption = null)
    {
        _encoder = encoder;
        _decoder = decoder;
        _optimizer = optimizer;
        _noise = noise;
        Loss = loss;
        Corruption = corruption;
        Networks = new Dictionary<string, nn.Module> { ["encoder"] = encoder, ["decoder"] = decoder };
        Optimizers = new Dictionary<string, optim.Optimizer> { ["optimizer"] = optimizer };
    }

    /// <summary>How reconstructions are scored.</summary>
    public ReconstructionLoss Loss { get; }

    /// <summary>The input corruption of a denoising autoencoder, or null.</summary>
    public ICorruption? Corruption { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, nn.Module> Networks { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, optim.Optimizer> Optimizers { get; }

    /// <inheritdoc />
    public StepMetrics TrainStep(IBatchSource batches)
    {
        var clean = batches.Next().Examples;
        var input = Corruption?.Apply(clean, _noise) ?? clean;
        var loss = Loss.Compute(_decoder.call(_encoder.call(input)), clean);
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        return StepMetrics.Read(("loss", loss));
    }

    /// <summary>The codes of <paramref name="x"/>, (N, code), without gradients.</summary>
    public Tensor Encode(Tensor x) => Evaluate(() => _encoder.call(x));

    /// <summary>Decodes codes to examples, without gradients.</summary>
    public Tensor Decode(Tensor code) => Evaluate(() => _decoder.call(code));

    /// <summary>decoder(encoder(x)), without gradients: for a denoising autoencoder, pass the noisy input to denoise it.</summary>
    public Tensor Reconstruct(Tensor x) => Evaluate(() => _decoder.call(_encoder.call(x)));

    /// <inheritdoc />
    public void SetTraining(bool training)
    {
        _encoder.train(training);
        _decoder.train(training);
    }

    private Tensor Evaluate(Func<Tensor> compute) => EvaluationMode.Run([_encoder, _decoder], compute);

    /// <inheritdoc />
    public void Dispose()
    {
        PackedParameters.DisposeWithPacks(_optimizer);
        _encoder.Dispose();
        _decoder.Dispose();
    }
}
