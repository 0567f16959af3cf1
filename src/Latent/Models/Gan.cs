using Latent.Data;
using Latent.Models.Losses;
using Latent.Models.Regularizers;
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
/// <para>Where both networks are plain perceptrons the gradients come from their backward written out rather than from
/// autograd (<see cref="UsesWrittenOutBackward"/>, <see cref="WrittenOutBackward"/>): the same updates in fewer ops.
/// Otherwise, a critic whose scores depend on each row alone (no batch norm, spectral norm or minibatch layers) scores
/// the real and the generated batch in one pass of 2N rows rather than two of N.</para>
/// <para>A conditional GAN (Mirza and Osindero 2014) is the same step with labels: its networks are f(x, y)
/// (see <see cref="Nets.LabelConditioned"/>), the critic scores real examples with their own labels, and fakes are
/// generated for, and scored with, the labels of the real batch they are compared with.</para>
/// </remarks>
/// <example>
/// <code>
/// var gan = new Gan(generator, critic, new WassersteinLoss(), generatorOptimizer, criticOptimizer, random.Noise,
///                   new GanOptions { LatentDim = 2, CriticSteps = 5, Regularizers = [new GradientPenalty(10)] });
/// StepMetrics metrics = gan.TrainStep(batches);
/// Tensor samples = gan.Sample(1000);
/// </code>
/// </example>
public sealed class Gan : IGenerativeModel, ILatentModel
{
    private readonly nn.Module _generator;
    private readonly nn.Module _discriminator;
    private readonly optim.Optimizer _generatorOptimizer;
    private readonly optim.Optimizer _discriminatorOptimizer;
    private readonly Generator _noise;
    private readonly ExponentialMovingAverage? _ema;
    private readonly TorchSharp.Modules.Parameter[] _generatorParameters, _discriminatorParameters;
    private readonly bool _realNeedsInputGradient;
    private readonly bool _scoresInOnePass;
    private readonly MlpGanGradients? _writtenOutGradients;

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
        : this((nn.Module)generator, discriminator, classes: 0, loss, generatorOptimizer, discriminatorOptimizer, noise, options, averagedGenerator)
    {
    }

    /// <summary>Creates a conditional GAN over <paramref name="classes"/> classes; it takes ownership of the networks and optimizers.</summary>
    /// <param name="generator">Maps z (N, latent) and labels (N) to examples of those classes, e.g. a <see cref="Nets.LabelConditioned"/> generator.</param>
    /// <param name="discriminator">Maps examples and their labels to scores (N, 1).</param>
    /// <param name="classes">The number of classes, ≥ 2; labels are in [0, classes).</param>
    /// <param name="loss">The adversarial objective.</param>
    /// <param name="generatorOptimizer">Over the generator's parameters.</param>
    /// <param name="discriminatorOptimizer">Over the discriminator's parameters.</param>
    /// <param name="noise">The run's noise stream.</param>
    /// <param name="options">Critic steps, penalties, constraints and stabilizers; defaults when null.</param>
    /// <param name="averagedGenerator">A second conditional generator to hold the EMA; required when <see cref="GanOptions.EmaDecay"/> is set.</param>
    public Gan(nn.Module<Tensor, Tensor, Tensor> generator, nn.Module<Tensor, Tensor, Tensor> discriminator, int classes, IGanLoss loss,
               optim.Optimizer generatorOptimizer, optim.Optimizer discriminatorOptimizer, Generator noise,
               GanOptions? options = null, nn.Module<Tensor, Tensor, Tensor>? averagedGenerator = null)
        : this((nn.Module)generator, discriminator, classes, loss, generatorOptimizer, discriminatorOptimizer, noise, options, averagedGenerator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
    }

    private Gan(nn.Module generator, nn.Module discriminator, int classes, IGanLoss loss,
                optim.Optimizer generatorOptimizer, optim.Optimizer discriminatorOptimizer, Generator noise,
                GanOptions? options, nn.Module? averagedGenerator)
    {
        Options = options ?? new GanOptions();
        Options.Validate();
        NetworkCall.IsConditional(generator, nameof(generator));
        NetworkCall.IsConditional(discriminator, nameof(discriminator));
        if (Options.FeatureMatchingWeight > 0 && !NetworkCall.HasFeatures(discriminator))
            throw new ArgumentException($"feature matching reads the discriminator's penultimate features, so it needs an {nameof(Nets.IFeatureExtractor)} (Discriminator, DcganDiscriminator); got {discriminator.GetType().Name}", nameof(options));
        _generator = generator;
        _discriminator = discriminator;
        // What each optimizer steps, listed once (walking the module tree every step costs more than the gradient norm
        // it feeds on the toy nets): one flat tensor when the parameters are packed (see Training.PackedParameters).
        _generatorParameters = [.. generatorOptimizer.parameters()];
        _discriminatorParameters = [.. discriminatorOptimizer.parameters()];
        _generatorOptimizer = generatorOptimizer;
        _discriminatorOptimizer = discriminatorOptimizer;
        _noise = noise;
        // R1 differentiates the real scores themselves, so the real batch is scored once, requiring a gradient.
        _realNeedsInputGradient = Options.Regularizers.Any(regularizer => regularizer is IRealInputPenalty);
        _scoresInOnePass = NetworkCall.ScoresEachRowAlone(discriminator);
        Classes = classes;
        Loss = loss;
        _writtenOutGradients = MlpGanGradients.TryCreate(generator, discriminator, classes, Options);

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

    /// <summary>
    /// Whether this GAN's steps run with the networks' backward written out (<see cref="WrittenOutBackward"/>): when the
    /// switch is on, the GAN is unconditional, both networks are plain perceptrons (an <see cref="Nets.Mlp"/> and a
    /// <see cref="Nets.Discriminator"/> without batch norm, dropout, spectral norm or minibatch layers), there is no
    /// feature matching, and its regularizers are gradient penalties on a critic of piecewise-linear activations, or none.
    /// </summary>
    public bool UsesWrittenOutBackward => WrittenOutBackward.Enabled && _writtenOutGradients is not null;

    /// <summary>The adversarial objective.</summary>
    public IGanLoss Loss { get; }

    /// <summary>Critic steps, penalties, constraints and stabilizers.</summary>
    public GanOptions Options { get; }

    /// <inheritdoc />
    public int LatentDim => Options.LatentDim;

    /// <inheritdoc />
    public int Classes { get; }

    /// <summary>The generator being trained, f(z) or f(z, y) (sampling uses <see cref="SamplingGenerator"/>).</summary>
    public nn.Module Generator => _generator;

    /// <summary>The discriminator or critic, f(x) or f(x, y).</summary>
    public nn.Module Discriminator => _discriminator;

    /// <summary>The generator that samples: the EMA copy when there is one, else the trained generator.</summary>
    public nn.Module SamplingGenerator => _ema?.Shadow ?? _generator;

    /// <inheritdoc />
    public Device Device => _generator.parameters().First().device;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, nn.Module> Networks { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, optim.Optimizer> Optimizers { get; }

    /// <inheritdoc />
    public StepMetrics TrainStep(IBatchSource batches)
    {
        var figures = new List<(string, Tensor)>();

        // Critic half: n_critic updates on fresh real batches against detached fakes of the same classes.
        Tensor dLoss = null!, realScores = null!, fakeScores = null!, dGradNorm = null!;
        Tensor? labels = null;
        var penalties = new List<(string, Tensor)>();
        for (int i = 0; i < Options.CriticSteps; i++)
        {
            var (real, batchLabels) = NextBatch(batches);
            labels = batchLabels;
            if (_realNeedsInputGradient)
                real = real.detach().requires_grad_(true);
            Tensor fake;
            using (no_grad())
                fake = Generate(_generator, DrawLatent(real.shape[0], real), labels);
            _discriminatorOptimizer.zero_grad();
            penalties.Clear();
            if (UsesWrittenOutBackward)
            {
                (dLoss, realScores, fakeScores) = _writtenOutGradients!.Critic(real, fake, Loss, penalties, _noise);
            }
            else
            {
                (realScores, fakeScores) = ScoreRealAndFake(real, fake, labels);
                dLoss = Loss.DiscriminatorLoss(realScores, fakeScores);
                var total = dLoss;
                foreach (var regularizer in Options.Regularizers)
                {
                    var penalty = regularizer is IRealInputPenalty onReal
                        ? onReal.PenaltyFromScores(real, realScores)
                        : regularizer.Penalty(x => ScoreInGraph(x, labels), real, fake, _noise);
                    penalties.Add((regularizer.Name, penalty));
                    total = total + regularizer.Weight * penalty;
                }
                total.backward();
            }
            // The norm is reported for the last critic update only; earlier ones need it just to clip.
            if (Options.GradientClipNorm is not null || i == Options.CriticSteps - 1)
                dGradNorm = ClipGradients(_discriminatorParameters);
            _discriminatorOptimizer.step();
            foreach (var constraint in Options.Constraints)
                constraint.Apply(_discriminator);
        }

        // Generator half: one update through the (unchanged) discriminator, for the last real batch's classes.
        var z = DrawLatent(realScores.shape[0], realScores);
        Tensor gLoss;
        Tensor? featureMatching = null;
        _generatorOptimizer.zero_grad();
        if (UsesWrittenOutBackward)
        {
            gLoss = _writtenOutGradients!.Generator(z, Loss);
        }
        else
        {
            var generated = Generate(_generator, z, labels);
            gLoss = Loss.GeneratorLoss(ScoreInGraph(generated, labels));
            var gTotal = gLoss;
            if (Options.FeatureMatchingWeight > 0)
            {
                Tensor realFeatures;
                using (no_grad())
                {
                    var (real, realLabels) = NextBatch(batches);
                    realFeatures = NetworkCall.Features(_discriminator, real, realLabels).mean([0]);
                }
                featureMatching = (realFeatures - NetworkCall.Features(_discriminator, generated, labels).mean([0])).pow(2).sum();
                gTotal = gTotal + Options.FeatureMatchingWeight * featureMatching;
            }
            gTotal.backward();
        }
        var gGradNorm = ClipGradients(_generatorParameters);
        _generatorOptimizer.step();
        _ema?.Update();

        // The mean scores are read as they are and their difference (the Wasserstein estimate) taken on the host. The
        // figures are computed without a graph: nothing differentiates them, and recording one costs a node per op.
        using var noGraph = no_grad();
        var realMean = realScores.mean();
        var fakeMean = fakeScores.mean();
        figures.Add(("d_loss", dLoss));
        figures.Add(("g_loss", gLoss));
        figures.Add(("real_mean", realMean));
        figures.Add(("fake_mean", fakeMean));
        if (Loss.ScoresAreLogits)
        {
            figures.Add(("d_real", realScores.sigmoid().mean()));
            figures.Add(("d_fake", fakeScores.sigmoid().mean()));
        }
        figures.AddRange(penalties);
        if (featureMatching is not null)
            figures.Add(("feature_matching", featureMatching));
        figures.Add(("d_grad_norm", dGradNorm));
        figures.Add(("g_grad_norm", gGradNorm));
        var read = StepMetrics.Read([.. figures]);

        var metrics = new StepMetrics()
            .Add("d_loss", read["d_loss"])
            .Add("g_loss", read["g_loss"])
            .Add("d_real", read[Loss.ScoresAreLogits ? "d_real" : "real_mean"])
            .Add("d_fake", read[Loss.ScoresAreLogits ? "d_fake" : "fake_mean"])
            .Add("wasserstein", (double)((float)read["real_mean"] - (float)read["fake_mean"]));
        foreach (var (name, _) in penalties)
            metrics.Add(name, read[name]);
        if (featureMatching is not null)
            metrics.Add("feature_matching", read["feature_matching"]);
        return metrics.Add("d_grad_norm", read["d_grad_norm"]).Add("g_grad_norm", read["g_grad_norm"]);
    }

    /// <summary>
    /// Generates <paramref name="n"/> examples; a conditional GAN cycles through its classes (0, 1, …, K−1, 0, …),
    /// so a grid of K columns shows one class per column.
    /// </summary>
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
            throw new InvalidOperationException("this GAN is not conditional; call Sample(n) instead");
        return Decode(randn([labels.shape[0], LatentDim], generator: rng ?? _noise).to(Device), labels.to(Device));
    }

    /// <inheritdoc />
    public Tensor Decode(Tensor z, Tensor? labels = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        CheckLabels(labels, z.shape[0]);
        var generator = SamplingGenerator;
        return EvaluationMode.Run([generator], () => Generate(generator, z, labels));
    }

    /// <summary>The discriminator's raw scores for <paramref name="x"/>, (N, 1), in evaluation mode without gradients.</summary>
    /// <param name="x">Examples on the model's device.</param>
    /// <param name="labels">Their classes, for a conditional GAN.</param>
    public Tensor Score(Tensor x, Tensor? labels = null)
    {
        CheckLabels(labels, x.shape[0]);
        return EvaluationMode.Run([_discriminator], () => NetworkCall.Invoke(_discriminator, x, labels));
    }

    /// <inheritdoc />
    public void SetTraining(bool training)
    {
        _generator.train(training);
        _discriminator.train(training);
    }

    private (Tensor Examples, Tensor? Labels) NextBatch(IBatchSource batches)
    {
        var batch = batches.Next();
        return (batch.Examples, Classes > 0 ? batch.RequireLabels("a conditional GAN") : null);
    }

    private static Tensor Generate(nn.Module generator, Tensor z, Tensor? labels) => NetworkCall.Invoke(generator, z, labels);

    /// <summary>D(x) or D(x, y) in the training graph, in the network's current mode.</summary>
    private Tensor ScoreInGraph(Tensor x, Tensor? labels) => NetworkCall.Invoke(_discriminator, x, labels);

    /// <summary>
    /// D(real) and D(fake) in the training graph: in one pass over both batches when each score depends on its own row
    /// alone (<see cref="Nets.Discriminator.ScoresEachRowAlone"/>), which halves the calls and doubles the rows of every
    /// matrix product; else one pass each, as batch statistics require.
    /// </summary>
    private (Tensor Real, Tensor Fake) ScoreRealAndFake(Tensor real, Tensor fake, Tensor? labels)
    {
        if (!_scoresInOnePass || real.numel() != fake.numel())
            return (ScoreInGraph(real, labels), ScoreInGraph(fake, labels));
        long n = real.shape[0];
        // The generator's (N, D) output joins images of (N, C, H, W) in their shape; the perceptron flattens both alike.
        var scores = ScoreInGraph(cat([real, fake.reshape(real.shape)]), labels is null ? null : cat([labels, labels]));
        return (scores.narrow(0, 0, n), scores.narrow(0, n, n));
    }

    private void CheckLabels(Tensor? labels, long n)
    {
        if (Classes == 0 && labels is not null)
            throw new ArgumentException("this GAN is not conditional; pass no labels", nameof(labels));
        if (Classes > 0 && (labels is null || labels.shape.Length != 1 || labels.shape[0] != n))
            throw new ArgumentException($"a conditional GAN needs one label per example: (N) = ({n}) int64 classes in [0, {Classes})", nameof(labels));
    }

    private Tensor DrawLatent(long n, Tensor like) =>
        randn([n, LatentDim], dtype: like.dtype, generator: _noise).to(like.device);

    /// <summary>The norm of the network's whole gradient, read before clipping it to <see cref="GanOptions.GradientClipNorm"/>.</summary>
    private Tensor ClipGradients(TorchSharp.Modules.Parameter[] parameters)
    {
        var gradients = new List<Tensor>(parameters.Length);
        foreach (var parameter in parameters)
        {
            if (parameter.grad is { } gradient)
                gradients.Add(gradient);
        }
        if (gradients.Count == 0)
            return zeros(Array.Empty<long>()); // a 0-d scalar, like every other figure
        var norm = gradients.Count == 1 ? gradients[0].norm() : stack(gradients.Select(g => g.norm())).norm();
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
        PackedParameters.DisposeWithPacks(_generatorOptimizer);
        PackedParameters.DisposeWithPacks(_discriminatorOptimizer);
        _ema?.Dispose();
        _generator.Dispose();
        _discriminator.Dispose();
    }
}
