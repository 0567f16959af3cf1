using Latent.Data;
using Latent.Models.Losses;
using Latent.Nets;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>
/// A generative adversarial network (Goodfellow et al. 2014): a generator G(z) trained against a
/// discriminator or critic D(x) under a pluggable <see cref="IGanLoss"/>.
/// </summary>
/// <remarks>
/// <para>One <see cref="TrainStep"/> is <see cref="GanOptions.CriticSteps"/> critic updates, each on a fresh real
/// batch, then one generator update, then the EMA update. WGAN with clipping, WGAN-GP, R1, hinge and
/// least-squares GANs are this same step with another loss, regularizer or constraint.</para>
/// <para>Metrics per step: <c>d_loss</c> and <c>g_loss</c> (without penalties), <c>d_real</c> and <c>d_fake</c>
/// (the mean probability D assigns to real and generated examples when scores are logits, else the mean raw
/// score), <c>wasserstein</c> (mean critic score of real minus generated: the Wasserstein estimate of a
/// Lipschitz critic), each penalty unweighted under its name (<c>gp</c>, <c>r1</c>), <c>d_grad_norm</c> and
/// <c>g_grad_norm</c> (L2 norm of each network's whole gradient before clipping), and <c>feature_matching</c> when on.</para>
/// </remarks>
/// <example>
/// <code>
/// var gan = new Gan(generator, critic, new WassersteinLoss(), generatorOptimizer, criticOptimizer, random.Noise,
///                   new GanOptions { LatentDim = 2, CriticSteps = 5, Regularizers = [new GradientPenalty(10)] });
/// StepMetrics metrics = gan.TrainStep(batches);
/// Tensor samples = gan.Sample(1000);
/// </code>
/// </example>
public sealed class Gan : IGenerativeModel, ISampler
{
    private readonly nn.Module<Tensor, Tensor> _generator;
    private readonly nn.Module<Tensor, Tensor> _discriminator;
    private readonly optim.Optimizer _generatorOptimizer;
    private readonly optim.Optimizer _discriminatorOptimizer;
    private readonly Generator _noise;
    private readonly ExponentialMovingAverage? _ema;

    /// <summary>Creates the GAN; it takes ownership of the networks and optimizers.</summary>
    /// <param name="generator">Maps z, (N, latent), to examples.</param>
    /// <param name="discriminator">Maps examples to scores (N, 1): logits, or critic values for Wasserstein-type losses.</param>
    /// <param name="loss">The adversarial objective.</param>
    /// <param name="generatorOptimizer">Over the generator's parameters.</param>
    /// <param name="discriminatorOptimizer">Over the discriminator's parameters (its own learning rate: TTUR).</param>
    /// <param name="noise">The run's noise stream: latent codes and penalty interpolation weights.</param>
    /// <param name="options">Critic steps, penalties, constraints and stabilizers; defaults when null.</param>
    /// <param name="averagedGenerator">A second generator of the same architecture to hold the EMA; required when <see cref="GanOptions.EmaDecay"/> is set.</param>
    public Gan(nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator, IGanLoss loss,
               optim.Optimizer generatorOptimizer, optim.Optimizer discriminatorOptimizer, Generator noise,
               GanOptions? options = null, nn.Module<Tensor, Tensor>? averagedGenerator = null)
    {
        Options = options ?? new GanOptions();
        Options.Validate();
        if (Options.FeatureMatchingWeight > 0 && discriminator is not Nets.Discriminator)
            throw new ArgumentException($"feature matching needs a {nameof(Nets.Discriminator)} (it reads its penultimate features); got {discriminator.GetType().Name}", nameof(options));
        _generator = generator;
        _discriminator = discriminator;
        _generatorOptimizer = generatorOptimizer;
        _discriminatorOptimizer = discriminatorOptimizer;
        _noise = noise;
        Loss = loss;

        var networks = new Dictionary<string, nn.Module> { ["generator"] = generator, ["discriminator"] = discriminator };
        if (Options.EmaDecay is { } decay)
        {
            if (averagedGenerator is null)
                throw new ArgumentNullException(nameof(averagedGenerator), "an EMA decay is set, so a second generator of the same architecture is needed to hold the average");
            _ema = new ExponentialMovingAverage(generator, averagedGenerator, decay);
            networks["generator_ema"] = averagedGenerator;
        }
        Networks = networks;
        Optimizers = new Dictionary<string, optim.Optimizer> { ["generator"] = generatorOptimizer, ["discriminator"] = discriminatorOptimizer };
    }

    /// <summary>The adversarial objective.</summary>
    public IGanLoss Loss { get; }

    /// <summary>Critic steps, penalties, constraints and stabilizers.</summary>
    public GanOptions Options { get; }

    /// <summary>The generator being trained (sampling uses <see cref="SamplingGenerator"/>).</summary>
    public nn.Module<Tensor, Tensor> Generator => _generator;

    /// <summary>The discriminator or critic.</summary>
    public nn.Module<Tensor, Tensor> Discriminator => _discriminator;

    /// <summary>The generator that samples: the EMA copy when there is one, else the trained generator.</summary>
    public nn.Module<Tensor, Tensor> SamplingGenerator => (nn.Module<Tensor, Tensor>?)_ema?.Shadow ?? _generator;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, nn.Module> Networks { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, optim.Optimizer> Optimizers { get; }

    /// <inheritdoc />
    public StepMetrics TrainStep(IBatchSource batches)
    {
        var figures = new List<(string, Tensor)>();

        // Critic half: n_critic updates on fresh real batches against detached fakes.
        Tensor dLoss = null!, realScores = null!, fakeScores = null!, dGradNorm = null!;
        var penalties = new List<(string, Tensor)>();
        for (int i = 0; i < Options.CriticSteps; i++)
        {
            var real = batches.Next();
            Tensor fake;
            using (no_grad())
                fake = _generator.call(DrawLatent(real.shape[0], real));
            realScores = _discriminator.call(real);
            fakeScores = _discriminator.call(fake);
            dLoss = Loss.DiscriminatorLoss(realScores, fakeScores);
            var total = dLoss;
            penalties.Clear();
            foreach (var regularizer in Options.Regularizers)
            {
                var penalty = regularizer.Penalty(x => _discriminator.call(x), real, fake, _noise);
                penalties.Add((regularizer.Name, penalty));
                total = total + regularizer.Weight * penalty;
            }
            _discriminatorOptimizer.zero_grad();
            total.backward();
            // The norm is reported for the last critic update only; earlier ones need it just to clip.
            if (Options.GradientClipNorm is not null || i == Options.CriticSteps - 1)
                dGradNorm = ClipGradients(_discriminator);
            _discriminatorOptimizer.step();
            foreach (var constraint in Options.Constraints)
                constraint.Apply(_discriminator);
        }

        // Generator half: one update through the (unchanged) discriminator.
        var z = DrawLatent(realScores.shape[0], realScores);
        var generated = _generator.call(z);
        var gLoss = Loss.GeneratorLoss(_discriminator.call(generated));
        var gTotal = gLoss;
        Tensor? featureMatching = null;
        if (Options.FeatureMatchingWeight > 0)
        {
            var features = (Nets.Discriminator)_discriminator;
            Tensor realFeatures;
            using (no_grad())
                realFeatures = features.Features(batches.Next()).mean([0]);
            featureMatching = (realFeatures - features.Features(generated).mean([0])).pow(2).sum();
            gTotal = gTotal + Options.FeatureMatchingWeight * featureMatching;
        }
        _generatorOptimizer.zero_grad();
        gTotal.backward();
        var gGradNorm = ClipGradients(_generator);
        _generatorOptimizer.step();
        _ema?.Update();

        var dReal = Loss.ScoresAreLogits ? realScores.sigmoid().mean() : realScores.mean();
        var dFake = Loss.ScoresAreLogits ? fakeScores.sigmoid().mean() : fakeScores.mean();
        figures.Add(("d_loss", dLoss));
        figures.Add(("g_loss", gLoss));
        figures.Add(("d_real", dReal));
        figures.Add(("d_fake", dFake));
        figures.Add(("wasserstein", realScores.mean() - fakeScores.mean()));
        figures.AddRange(penalties);
        if (featureMatching is not null)
            figures.Add(("feature_matching", featureMatching));
        figures.Add(("d_grad_norm", dGradNorm));
        figures.Add(("g_grad_norm", gGradNorm));
        return StepMetrics.Read([.. figures]);
    }

    /// <inheritdoc />
    public Tensor Sample(long n, Generator? rng = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var generator = SamplingGenerator;
        var device = generator.parameters().First().device;
        var z = randn([n, Options.LatentDim], generator: rng ?? _noise).to(device);
        return EvaluationMode.Run([generator], () => generator.call(z));
    }

    /// <summary>The discriminator's raw scores for <paramref name="x"/>, (N, 1), in evaluation mode without gradients.</summary>
    public Tensor Score(Tensor x) => EvaluationMode.Run([_discriminator], () => _discriminator.call(x));

    /// <inheritdoc />
    public void SetTraining(bool training)
    {
        _generator.train(training);
        _discriminator.train(training);
    }

    private Tensor DrawLatent(long n, Tensor like) =>
        randn([n, Options.LatentDim], dtype: like.dtype, generator: _noise).to(like.device);

    /// <summary>The norm of the network's whole gradient, read before clipping it to <see cref="GanOptions.GradientClipNorm"/>.</summary>
    private Tensor ClipGradients(nn.Module network)
    {
        var gradients = network.parameters().Select(p => p.grad).OfType<Tensor>().ToList();
        if (gradients.Count == 0)
            return zeros(Array.Empty<long>()); // a 0-d scalar, like every other figure
        var norm = stack(gradients.Select(g => g.norm())).norm();
        if (Options.GradientClipNorm is { } maxNorm)
        {
            // As torch.nn.utils.clip_grad_norm_, but without reading the norm back: the scale stays on the device.
            var scale = (maxNorm / (norm + 1e-6)).clamp_max(1.0);
            using (no_grad())
                foreach (var gradient in gradients)
                    gradient.mul_(scale);
        }
        return norm;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _generatorOptimizer.Dispose();
        _discriminatorOptimizer.Dispose();
        _ema?.Dispose();
        _generator.Dispose();
        _discriminator.Dispose();
    }
}
