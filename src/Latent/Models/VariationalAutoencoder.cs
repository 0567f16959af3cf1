using Latent.Data;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>
/// A variational autoencoder (Kingma and Welling 2014): q(z|x) = N(μ(x), diag σ²(x)), p(z) = N(0, I),
/// trained on loss = reconstruction + β·w(t)·KL(q(z|x) ‖ p(z)).
/// </summary>
/// <remarks>
/// <para>The encoder outputs (N, 2·latent): μ then log σ². A code is drawn by the reparameterization
/// z = μ + σ·ε, ε ~ N(0, I) from the model's noise stream, so gradients reach the encoder. The KL term is
/// analytic, −½ Σ (1 + log σ² − μ² − σ²), summed over latent dimensions and averaged over the batch.</para>
/// <para>β (<see cref="Beta"/>, default 1) trades reconstruction for a smoother latent space (β-VAE, Higgins et
/// al. 2017); w(t) rises linearly from 0 to 1 over <see cref="KlWarmupSteps"/> steps (KL annealing, Bowman et al.
/// 2016), counted by <see cref="StepsTaken"/>, which checkpoints save. With <see cref="ReconstructionLoss.SumBinaryCrossEntropy"/>
/// and β = 1 the loss is the negative ELBO in nats per example.</para>
/// <para>Metrics per step: <c>loss</c>, <c>recon</c>, <c>kl</c>, <c>kl_weight</c>.</para>
/// </remarks>
public sealed class VariationalAutoencoder : IGenerativeModel, ISampler, ITrainingState
{
    private readonly nn.Module<Tensor, Tensor> _encoder;
    private readonly nn.Module<Tensor, Tensor> _decoder;
    private readonly optim.Optimizer _optimizer;
    private readonly Generator _noise;

    /// <summary>Creates the model; it takes ownership of the networks and the optimizer.</summary>
    /// <param name="encoder">Maps (N, features) to (N, 2·<paramref name="latentDim"/>): μ, then log σ².</param>
    /// <param name="decoder">Maps (N, latent) to (N, features).</param>
    /// <param name="optimizer">Over the parameters of both networks.</param>
    /// <param name="latentDim">Dimensions of z; at least 1.</param>
    /// <param name="loss">The reconstruction term.</param>
    /// <param name="noise">The run's noise stream (reparameterization and sampling).</param>
    /// <param name="beta">β, the weight of the KL term; default 1 (the ELBO).</param>
    /// <param name="klWarmupSteps">Steps over which the KL weight rises linearly to β; 0 for none.</param>
    public VariationalAutoencoder(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> decoder, optim.Optimizer optimizer,
                                  int latentDim, ReconstructionLoss loss, Generator noise, double beta = 1.0, long klWarmupSteps = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latentDim, 1);
        if (!(beta >= 0) || double.IsInfinity(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "must be a finite number ≥ 0");
        ArgumentOutOfRangeException.ThrowIfNegative(klWarmupSteps);
        _encoder = encoder;
        _decoder = decoder;
        _optimizer = optimizer;
        _noise = noise;
        LatentDim = latentDim;
        Loss = loss;
        Beta = beta;
        KlWarmupSteps = klWarmupSteps;
        Networks = new Dictionary<string, nn.Module> { ["encoder"] = encoder, ["decoder"] = decoder };
        Optimizers = new Dictionary<string, optim.Optimizer> { ["optimizer"] = optimizer };
    }

    /// <summary>Dimensions of the latent code z.</summary>
    public int LatentDim { get; }

    /// <summary>The reconstruction term.</summary>
    public ReconstructionLoss Loss { get; }

    /// <summary>β, the weight of the KL term once warmed up.</summary>
    public double Beta { get; }

    /// <summary>Steps over which the KL weight rises linearly from 0 to β.</summary>
    public long KlWarmupSteps { get; }

    /// <summary>Training steps taken so far; drives the KL warm-up and is saved in checkpoints.</summary>
    public long StepsTaken { get; set; }

    /// <summary>The KL weight β·w(t) the next step uses.</summary>
    public double KlWeight => KlWarmupSteps == 0 ? Beta : Beta * Math.Min(1.0, (StepsTaken + 1) / (double)KlWarmupSteps);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, nn.Module> Networks { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, optim.Optimizer> Optimizers { get; }

    /// <inheritdoc />
    public StepMetrics TrainStep(IBatchSource batches)
    {
        var x = batches.Next();
        var (mu, logVar) = EncodeDistribution(x);
        var z = mu + (0.5 * logVar).exp() * Noise(mu.shape, mu);
        var reconstruction = Loss.Compute(_decoder.call(z), x);
        var kl = KlDivergence(mu, logVar);
        double klWeight = KlWeight;
        var loss = reconstruction + klWeight * kl;

        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        StepsTaken++;
        return StepMetrics.Read(("loss", loss), ("recon", reconstruction), ("kl", kl)).Add("kl_weight", klWeight);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, long> CaptureState() => new Dictionary<string, long> { ["steps_taken"] = StepsTaken };

    /// <inheritdoc />
    public void RestoreState(IReadOnlyDictionary<string, long> state) =>
        StepsTaken = state.TryGetValue("steps_taken", out long steps) ? steps : throw new InvalidDataException("VAE state has no steps_taken");

    /// <summary>KL(N(μ, σ²) ‖ N(0, I)) summed over latent dimensions, averaged over the batch.</summary>
    public static Tensor KlDivergence(Tensor mu, Tensor logVar) =>
        (-0.5 * (1 + logVar - mu.pow(2) - logVar.exp()).sum(1)).mean();

    /// <summary>KL(q(z|x) ‖ p(z)) of <paramref name="x"/> summed over latent dimensions, averaged over the batch, in evaluation mode without gradients.</summary>
    public double KlDivergenceOf(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Evaluate(() =>
        {
            var (mu, logVar) = EncodeDistribution(x);
            return KlDivergence(mu, logVar);
        }).to(float64).item<double>();
    }

    /// <summary>μ(x), the posterior mean, (N, latent), without gradients.</summary>
    public Tensor Encode(Tensor x) => Evaluate(() => EncodeDistribution(x).Mu);

    /// <summary>μ(x) and log σ²(x) of q(z|x), with gradients when called in a graph.</summary>
    public (Tensor Mu, Tensor LogVar) EncodeDistribution(Tensor x)
    {
        var stats = _encoder.call(x);
        if (stats.shape.Length != 2 || stats.shape[1] != 2 * LatentDim)
            throw new InvalidOperationException($"the encoder returned [{string.Join(", ", stats.shape)}], expected [N, {2 * LatentDim}] (μ and log σ² for a latent of {LatentDim})");
        var parts = stats.chunk(2, 1);
        return (parts[0], parts[1]);
    }

    /// <summary>Decodes latent codes (N, latent) to examples, without gradients.</summary>
    public Tensor Decode(Tensor z) => Evaluate(() => _decoder.call(z));

    /// <summary>decoder(μ(x)): the reconstruction through the posterior mean, without gradients.</summary>
    public Tensor Reconstruct(Tensor x) => Evaluate(() => _decoder.call(EncodeDistribution(x).Mu));

    /// <summary>Decodes z ~ N(0, I): new examples from the prior.</summary>
    public Tensor Sample(long n, Generator? rng = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var device = _decoder.parameters().First().device;
        return Decode(randn([n, LatentDim], generator: rng ?? _noise).to(device));
    }

    /// <summary>Decodes <paramref name="steps"/> points on the straight line from μ(<paramref name="from"/>) to μ(<paramref name="to"/>), ends included.</summary>
    /// <param name="from">One example, (1, features) or (features).</param>
    /// <param name="to">One example, same shape.</param>
    /// <param name="steps">At least 2.</param>
    public Tensor Interpolate(Tensor from, Tensor to, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        return Evaluate(() =>
        {
            var a = EncodeDistribution(from.reshape(1, -1)).Mu;
            var b = EncodeDistribution(to.reshape(1, -1)).Mu;
            var t = linspace(0, 1, steps, dtype: a.dtype, device: a.device).unsqueeze(1);
            return _decoder.call(a + t * (b - a));
        });
    }

    /// <inheritdoc />
    public void SetTraining(bool training)
    {
        _encoder.train(training);
        _decoder.train(training);
    }

    private Tensor Noise(long[] shape, Tensor like) => randn(shape, dtype: like.dtype, generator: _noise).to(like.device);

    private Tensor Evaluate(Func<Tensor> compute) => EvaluationMode.Run([_encoder, _decoder], compute);

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        _encoder.Dispose();
        _decoder.Dispose();
    }
}
