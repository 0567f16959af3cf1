using Latent.Data;
using Latent.Training;
using TorchSharp;
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
/// <para>Where encoder and decoder are plain perceptrons the gradients come from their backward written out rather than
/// from autograd (<see cref="UsesWrittenOutBackward"/>, <see cref="WrittenOutBackward"/>): the same update in fewer ops.</para>
/// <para>A conditional VAE (Sohn et al. 2015) is the same model with labels: its encoder reads q(z|x, y) and its decoder
/// p(x|z, y), both f(input, y) networks such as <see cref="Nets.LabelConditioned"/>.</para>
/// <para>Metrics per step: <c>loss</c>, <c>recon</c>, <c>kl</c>, <c>kl_weight</c>.</para>
/// </remarks>
public sealed class VariationalAutoencoder : IGenerativeModel, ILatentModel, ITrainingState
{
    private readonly nn.Module _encoder;
    private readonly nn.Module _decoder;
    private readonly optim.Optimizer _optimizer;
    private readonly Generator _noise;
    private readonly MlpVaeGradients? _writtenOutGradients;

    /// <summary>Creates the model; it takes ownership of the networks and the optimizer.</summary>
    /// <param name="encoder">Maps (N, features…) to (N, 2·<paramref name="latentDim"/>): μ, then log σ².</param>
    /// <param name="decoder">Maps (N, latent) to (N, features…), the shape of the data.</param>
    /// <param name="optimizer">Over the parameters of both networks.</param>
    /// <param name="latentDim">Dimensions of z; at least 1.</param>
    /// <param name="loss">The reconstruction term.</param>
    /// <param name="noise">The run's noise stream (reparameterization and sampling).</param>
    /// <param name="beta">β, the weight of the KL term; default 1 (the ELBO).</param>
    /// <param name="klWarmupSteps">Steps over which the KL weight rises linearly to β; 0 for none.</param>
    public VariationalAutoencoder(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> decoder, optim.Optimizer optimizer,
                                  int latentDim, ReconstructionLoss loss, Generator noise, double beta = 1.0, long klWarmupSteps = 0)
        : this((nn.Module)encoder, decoder, classes: 0, optimizer, latentDim, loss, noise, beta, klWarmupSteps)
    {
    }

    /// <summary>Creates a conditional VAE over <paramref name="classes"/> classes; it takes ownership of the networks and the optimizer.</summary>
    /// <param name="encoder">Maps examples and their labels to (N, 2·<paramref name="latentDim"/>).</param>
    /// <param name="decoder">Maps codes and labels to examples of those classes.</param>
    /// <param name="classes">The number of classes, ≥ 2.</param>
    /// <param name="optimizer">Over the parameters of both networks.</param>
    /// <param name="latentDim">Dimensions of z; at least 1.</param>
    /// <param name="loss">The reconstruction term.</param>
    /// <param name="noise">The run's noise stream.</param>
    /// <param name="beta">β, the weight of the KL term.</param>
    /// <param name="klWarmupSteps">Steps over which the KL weight rises linearly to β; 0 for none.</param>
    public VariationalAutoencoder(nn.Module<Tensor, Tensor, Tensor> encoder, nn.Module<Tensor, Tensor, Tensor> decoder, int classes, optim.Optimizer optimizer,
                                  int latentDim, ReconstructionLoss loss, Generator noise, double beta = 1.0, long klWarmupSteps = 0)
        : this((nn.Module)encoder, decoder, classes, optimizer, latentDim, loss, noise, beta, klWarmupSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
    }

    private VariationalAutoencoder(nn.Module encoder, nn.Module decoder, int classes, optim.Optimizer optimizer,
                                   int latentDim, ReconstructionLoss loss, Generator noise, double beta, long klWarmupSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latentDim, 1);
        if (!(beta >= 0) || double.IsInfinity(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "must be a finite number ≥ 0");
        ArgumentOutOfRangeException.ThrowIfNegative(klWarmupSteps);
        NetworkCall.IsConditional(encoder, nameof(encoder));
        NetworkCall.IsConditional(decoder, nameof(decoder));
        _encoder = encoder;
        _decoder = decoder;
        _optimizer = optimizer;
        _noise = noise;
        Classes = classes;
        LatentDim = latentDim;
        Loss = loss;
        Beta = beta;
        KlWarmupSteps = klWarmupSteps;
        _writtenOutGradients = MlpVaeGradients.TryCreate(encoder, decoder, classes, latentDim);
        Networks = new Dictionary<string, nn.Module> { ["encoder"] = encoder, ["decoder"] = decoder };
        Optimizers = new Dictionary<string, optim.Optimizer> { ["optimizer"] = optimizer };
    }

    /// <inheritdoc />
    public int LatentDim { get; }

    /// <inheritdoc />
    public int Classes { get; }

    /// <summary>The reconstruction term.</summary>
    public ReconstructionLoss Loss { get; }

    /// <summary>β, the weight of the KL term once warmed up.</summary>
    public double Beta { get; }

    /// <summary>Steps over which the KL weight rises linearly from 0 to β.</summary>
    public long KlWarmupSteps { get; }

    /// <summary>
    /// Whether this VAE's steps run with the networks' backward written out (<see cref="WrittenOutBackward"/>): when the
    /// switch is on, the VAE is unconditional and both networks are plain perceptrons (<see cref="Nets.Mlp"/>s without
    /// batch norm, dropout or spectral norm).
    /// </summary>
    public bool UsesWrittenOutBackward => WrittenOutBackward.Enabled && _writtenOutGradients is not null;

    /// <summary>Training steps taken so far; drives the KL warm-up and is saved in checkpoints.</summary>
    public long StepsTaken { get; set; }

    /// <summary>The KL weight β·w(t) the next step uses.</summary>
    public double KlWeight => KlWarmupSteps == 0 ? Beta : Beta * Math.Min(1.0, (StepsTaken + 1) / (double)KlWarmupSteps);

    /// <inheritdoc />
    public Device Device => _decoder.parameters().First().device;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, nn.Module> Networks { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, optim.Optimizer> Optimizers { get; }

    /// <inheritdoc />
    public StepMetrics TrainStep(IBatchSource batches)
    {
        var batch = batches.Next();
        var x = batch.Examples;
        var labels = Classes > 0 ? batch.RequireLabels("a conditional VAE") : null;
        double klWeight = KlWeight;
        _optimizer.zero_grad();
        var (loss, reconstruction, kl) = UsesWrittenOutBackward
            ? _writtenOutGradients!.AddGradients(x, Loss, klWeight, like => Noise(like.shape, like, _noise))
            : AddGradientsByAutograd(x, labels, klWeight);
        _optimizer.step();
        StepsTaken++;
        return StepMetrics.Read(("loss", loss), ("recon", reconstruction), ("kl", kl)).Add("kl_weight", klWeight);
    }

    /// <summary>The loss at <paramref name="x"/> and its two terms, its gradient added into the parameters' <c>grad</c> by autograd.</summary>
    private (Tensor Loss, Tensor Reconstruction, Tensor Kl) AddGradientsByAutograd(Tensor x, Tensor? labels, double klWeight)
    {
        var (mu, logVar) = EncodeDistribution(x, labels);
        // Few and fused ops (on the toy VAEs the step's cost is its op count): σ is computed once and serves both the
        // code and the KL term, z = μ + σ·ε is one addcmul, and the weighted sum one add.
        using Scalar half = 0.5, one = 1, weight = klWeight;
        var std = logVar.mul(half).exp();
        var z = addcmul(mu, std, Noise(mu.shape, mu, _noise), one);
        var reconstruction = Loss.Compute(NetworkCall.Invoke(_decoder, z, labels), x);
        var kl = KlDivergence(mu, logVar, std);
        var loss = reconstruction.add(kl, weight);
        loss.backward();
        return (loss, reconstruction, kl);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, long> CaptureState() => new Dictionary<string, long> { ["steps_taken"] = StepsTaken };

    /// <inheritdoc />
    public void RestoreState(IReadOnlyDictionary<string, long> state) =>
        StepsTaken = state.TryGetValue("steps_taken", out long steps) ? steps : throw new InvalidDataException("VAE state has no steps_taken");

    /// <summary>KL(N(μ, σ²) ‖ N(0, I)) summed over latent dimensions, averaged over the batch.</summary>
    public static Tensor KlDivergence(Tensor mu, Tensor logVar) =>
        (-0.5 * (1 + logVar - mu.pow(2) - logVar.exp()).sum(1)).mean();

    /// <summary>
    /// The same KL from σ = exp(½ log σ²) already computed: ½/N · Σ(μ² + σ² − log σ²) − ½·D, in six ops rather than
    /// eight and without a second exp.
    /// </summary>
    internal static Tensor KlDivergence(Tensor mu, Tensor logVar, Tensor std)
    {
        long n = mu.shape[0], dimensions = mu.numel() / n;
        using Scalar one = 1, scale = 0.5 / n, offset = 0.5 * dimensions;
        return (addcmul(mu.square(), std, std, one) - logVar).sum().mul(scale).sub(offset);
    }

    /// <summary>KL(q(z|x) ‖ p(z)) of <paramref name="x"/> summed over latent dimensions, averaged over the batch, in evaluation mode without gradients.</summary>
    public double KlDivergenceOf(Tensor x, Tensor? labels = null)
    {
        using var scope = NewDisposeScope();
        return Evaluate(() =>
        {
            var (mu, logVar) = EncodeDistribution(x, labels);
            return KlDivergence(mu, logVar);
        }).to(float64).item<double>();
    }

    /// <summary>
    /// The terms of the negative ELBO of <paramref name="x"/>, averaged over the batch and over <paramref name="samples"/>
    /// codes z ~ q(z|x) per example, in evaluation mode: reconstruction (the loss term, e.g. the Bernoulli negative
    /// log-likelihood in nats under <see cref="ReconstructionLoss.SumBinaryCrossEntropy"/>) and KL. Their sum, with
    /// that loss, is the negative ELBO in nats per example, an upper bound on −log p(x).
    /// </summary>
    /// <param name="x">Examples on the model's device.</param>
    /// <param name="labels">Their classes, for a conditional VAE.</param>
    /// <param name="rng">Draws the codes; pass a generator of your own to leave the training noise untouched.</param>
    /// <param name="samples">Codes per example, ≥ 1; more average out the estimate's noise.</param>
    public (double Reconstruction, double Kl) EvaluateElbo(Tensor x, Tensor? labels, Generator rng, int samples = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        using var scope = NewDisposeScope();
        var terms = Evaluate(() =>
        {
            var (mu, logVar) = EncodeDistribution(x, labels);
            var reconstruction = zeros([], float64);
            for (int i = 0; i < samples; i++)
            {
                var z = mu + (0.5 * logVar).exp() * Noise(mu.shape, mu, rng);
                reconstruction += Loss.Compute(NetworkCall.Invoke(_decoder, z, labels), x).to(float64);
            }
            return stack([reconstruction / samples, KlDivergence(mu, logVar).to(float64)]);
        }).cpu().data<double>().ToArray();
        return (terms[0], terms[1]);
    }

    /// <summary>Decoder rows per pass of <see cref="ImportanceWeightedBound"/>: bounds its memory whatever k is.</summary>
    private const long ImportanceRowsPerPass = 20_000;

    /// <summary>
    /// The importance-weighted bound (Burda et al. 2016) on log p(x), averaged over the batch, in nats per example:
    /// log (1/k) Σᵢ p(x|zᵢ) p(zᵢ) / q(zᵢ|x) with k codes zᵢ ~ q(z|x). k = 1 is the ELBO; the bound tightens towards
    /// log p(x) as k grows, so −bound at k = 500 is the usual estimate of the negative log-likelihood.
    /// </summary>
    /// <remarks>Defined only for a Bernoulli decoder (<see cref="ReconstructionLoss.SumBinaryCrossEntropy"/>), whose
    /// reconstruction loss is an exact negative log-likelihood; the other losses drop the likelihood's constants.</remarks>
    /// <param name="x">Examples on the model's device.</param>
    /// <param name="labels">Their classes, for a conditional VAE.</param>
    /// <param name="samples">k, the codes per example, ≥ 1.</param>
    /// <param name="rng">Draws the codes.</param>
    /// <exception cref="InvalidOperationException">The reconstruction loss is not a log-likelihood.</exception>
    public double ImportanceWeightedBound(Tensor x, Tensor? labels, int samples, Generator rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        if (Loss != ReconstructionLoss.SumBinaryCrossEntropy)
            throw new InvalidOperationException($"the importance-weighted bound needs a Bernoulli decoder (loss bce-sum, an exact log-likelihood); this VAE's loss is {Loss}");
        using var scope = NewDisposeScope();
        return Evaluate(() =>
        {
            var (mu, logVar) = EncodeDistribution(x, labels);
            var std = (0.5 * logVar).exp();
            long n = x.shape[0];
            long perPass = Math.Max(1, ImportanceRowsPerPass / n);
            var logWeights = new List<Tensor>();
            for (long done = 0; done < samples; done += perPass)
            {
                long codes = Math.Min(perPass, samples - done);
                var epsilon = Noise([codes, n, LatentDim], mu, rng);
                var z = mu + std * epsilon; // (codes, n, latent)
                var decoded = NetworkCall.Invoke(_decoder, z.reshape(codes * n, LatentDim), Repeated(labels, codes));
                var targets = Repeated(x, codes)!;
                var logLikelihood = -nn.functional.binary_cross_entropy(decoded, targets, reduction: nn.Reduction.None)
                    .reshape(codes, n, -1).sum(2);
                // log p(z) − log q(z|x) with z = μ + σε: the 2π terms cancel, leaving −½ Σ (z² − log σ² − ε²).
                var logPriorOverPosterior = -0.5 * (z.pow(2) - logVar - epsilon.pow(2)).sum(2);
                logWeights.Add((logLikelihood + logPriorOverPosterior).to(float64));
            }
            return (cat(logWeights, 0).logsumexp(0) - Math.Log(samples)).mean();
        }).item<double>();
    }

    /// <summary>Stacks <paramref name="copies"/> copies of a batch along its first axis, (copies·N, …); null stays null.</summary>
    private static Tensor? Repeated(Tensor? batch, long copies) =>
        batch is null ? null : batch.unsqueeze(0).expand([copies, .. batch.shape]).reshape([copies * batch.shape[0], .. batch.shape[1..]]);

    /// <summary>μ(x), the posterior mean, (N, latent), in evaluation mode without gradients.</summary>
    public Tensor Encode(Tensor x, Tensor? labels = null) => Evaluate(() => EncodeDistribution(x, labels).Mu);

    /// <summary>μ(x) and log σ²(x) of q(z|x), with gradients when called in a graph.</summary>
    public (Tensor Mu, Tensor LogVar) EncodeDistribution(Tensor x, Tensor? labels = null)
    {
        var stats = NetworkCall.Invoke(_encoder, x, labels);
        if (stats.shape.Length != 2 || stats.shape[1] != 2 * LatentDim)
            throw new InvalidOperationException($"the encoder returned [{string.Join(", ", stats.shape)}], expected [N, {2 * LatentDim}] (μ and log σ² for a latent of {LatentDim})");
        var parts = stats.chunk(2, 1);
        return (parts[0], parts[1]);
    }

    /// <inheritdoc />
    public Tensor Decode(Tensor z, Tensor? labels = null) => Evaluate(() => NetworkCall.Invoke(_decoder, z, labels));

    /// <summary>decoder(μ(x)): the reconstruction through the posterior mean, without gradients.</summary>
    public Tensor Reconstruct(Tensor x, Tensor? labels = null) => Evaluate(() => NetworkCall.Invoke(_decoder, EncodeDistribution(x, labels).Mu, labels));

    /// <summary>Decodes z ~ N(0, I): new examples from the prior; a conditional VAE cycles through its classes.</summary>
    public Tensor Sample(long n, Generator? rng = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var labels = Classes > 0 ? arange(n, dtype: int64, device: Device).remainder(Classes) : null;
        return Decode(randn([n, LatentDim], generator: rng ?? _noise).to(Device), labels);
    }

    /// <inheritdoc />
    public Tensor SampleClasses(Tensor labels, Generator? rng = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (Classes == 0)
            throw new InvalidOperationException("this VAE is not conditional; call Sample(n) instead");
        return Decode(randn([labels.shape[0], LatentDim], generator: rng ?? _noise).to(Device), labels.to(Device));
    }

    /// <summary>Decodes <paramref name="steps"/> points on the straight line from μ(<paramref name="from"/>) to μ(<paramref name="to"/>), ends included.</summary>
    /// <param name="from">One example: a row (features) or an image (C, H, W), or a batch of one of either.</param>
    /// <param name="to">One example, same shape.</param>
    /// <param name="steps">At least 2.</param>
    public Tensor Interpolate(Tensor from, Tensor to, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        if (Classes > 0)
            throw new InvalidOperationException("a conditional VAE interpolates within a class: encode with labels and use LatentSpace.Interpolate");
        return Evaluate(() =>
        {
            var a = EncodeDistribution(AsBatchOfOne(from, nameof(from))).Mu;
            var b = EncodeDistribution(AsBatchOfOne(to, nameof(to))).Mu;
            return NetworkCall.Invoke(_decoder, LatentSpace.Interpolate(a, b, steps), null);
        });
    }

    /// <inheritdoc />
    public void SetTraining(bool training)
    {
        _encoder.train(training);
        _decoder.train(training);
    }

    /// <summary>A single example with a batch dimension: a row (F) or an image (C, H, W) gains one; (1, F) and (1, C, H, W) are kept.</summary>
    private static Tensor AsBatchOfOne(Tensor example, string name) => example.dim() switch
    {
        1 or 3 => example.unsqueeze(0),
        2 or 4 when example.shape[0] == 1 => example,
        _ => throw new ArgumentException($"{name} is [{string.Join(", ", example.shape)}]; expected one example: (features), (C, H, W), or a batch of one of either", name),
    };

    private static Tensor Noise(long[] shape, Tensor like, Generator rng) => randn(shape, dtype: like.dtype, generator: rng).to(like.device);

    private Tensor Evaluate(Func<Tensor> compute) => EvaluationMode.Run([_encoder, _decoder], compute);

    /// <inheritdoc />
    public void Dispose()
    {
        PackedParameters.DisposeWithPacks(_optimizer);
        _encoder.Dispose();
        _decoder.Dispose();
    }
}
