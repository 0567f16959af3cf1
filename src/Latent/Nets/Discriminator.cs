using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>
/// An MLP discriminator (or critic): score = head(minibatch features(body(x))), one raw score per example.
/// </summary>
/// <remarks>
/// <para>The body is an <see cref="Mlp"/> whose every layer is a hidden block, Linear → activation → BatchNorm → Dropout
/// (the MNIST GAN's discriminator); then, if on, <see cref="Nets.MinibatchStdDev"/> (+1 feature) and
/// <see cref="Nets.MinibatchDiscrimination"/> (+B features); then a Linear head to one output.</para>
/// <para>There is no sigmoid: scores are logits for the BCE losses and critic values for Wasserstein and hinge, and
/// every loss takes them raw (a sigmoid followed by a log loses precision where D is confident).</para>
/// <para>Shape: (N, Input) or (N, …) flattening to Input → (N, 1). <see cref="Features"/> gives (N, Hidden[^1]).</para>
/// </remarks>
public sealed class Discriminator : nn.Module<Tensor, Tensor>, IFeatureExtractor
{
    private readonly Mlp body;
    private readonly MinibatchStdDev? minibatch_stddev;
    private readonly MinibatchDiscrimination? minibatch_discrimination;
    private readonly Mlp head;

    /// <summary>Builds the discriminator and draws its weights from libtorch's global generator.</summary>
    /// <param name="spec">Widths and options.</param>
    /// <exception cref="ArgumentException">An input or hidden width below 1 (naming it), no hidden layer, or an option out of range.</exception>
    public Discriminator(DiscriminatorSpec spec) : base(nameof(Discriminator))
    {
        Validate(spec);
        Spec = spec;
        int[] bodyWidths = [spec.Input, .. spec.Hidden];
        body = new Mlp(new MlpSpec(bodyWidths, spec.Activation, spec.Activation, spec.BatchNorm, spec.Dropout, spec.Init, spec.LeakySlope, spec.SpectralNorm), finalBlockIsHidden: true);

        int features = spec.Hidden[^1];
        if (spec.MinibatchStdDev)
        {
            minibatch_stddev = new MinibatchStdDev();
            features += 1;
        }
        if (spec.MinibatchDiscrimination is not null)
        {
            minibatch_discrimination = new MinibatchDiscrimination(features, spec.MinibatchDiscrimination);
            features = minibatch_discrimination.OutFeatures;
        }
        head = new Mlp(new MlpSpec([features, 1], Init: spec.Init, SpectralNorm: spec.SpectralNorm));
        RegisterComponents();
    }

    /// <summary>The spec the discriminator was built from.</summary>
    public DiscriminatorSpec Spec { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = body.forward(input);                             // (N, Hidden[^1])
        if (minibatch_stddev is not null)
            x = minibatch_stddev.forward(x);                     // (N, F + 1)
        if (minibatch_discrimination is not null)
            x = minibatch_discrimination.forward(x);             // (N, F + B)
        return head.forward(x);                                  // (N, 1)
    }

    /// <summary>
    /// Whether each row's score depends on that row alone, so that two batches scored as one give each the scores it
    /// would get alone: no batch norm (batch statistics), minibatch layers (statistics across the batch) or spectral
    /// norm (one power iteration per call, so one call instead of two would change the estimate's schedule).
    /// </summary>
    internal bool ScoresEachRowAlone =>
        !Spec.BatchNorm && !Spec.SpectralNorm && minibatch_stddev is null && minibatch_discrimination is null;

    /// <summary>The body's and the head's layers when the discriminator is a plain chain (no minibatch layers, see <see cref="Mlp.AffineLayers"/>); null otherwise.</summary>
    internal IReadOnlyList<AffineLayer>? AffineLayers =>
        minibatch_stddev is null && minibatch_discrimination is null && body.AffineLayers is { } bodyLayers && head.AffineLayers is { } headLayers
            ? [.. bodyLayers, .. headLayers]
            : null;

    /// <summary>The body's output, (N, Hidden[^1]): the penultimate features, before any minibatch layer (for feature matching).</summary>
    public Tensor Features(Tensor input) => body.forward(input);

    private static void Validate(DiscriminatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Input < 1)
            throw new ArgumentException($"DiscriminatorSpec.Input is {spec.Input}; expected ≥ 1", nameof(spec));
        if (spec.Hidden is null || spec.Hidden.Length == 0)
            throw new ArgumentException("DiscriminatorSpec.Hidden is empty; expected at least one hidden width", nameof(spec));
        for (int i = 0; i < spec.Hidden.Length; i++)
        {
            if (spec.Hidden[i] < 1)
                throw new ArgumentException($"DiscriminatorSpec.Hidden[{i}] is {spec.Hidden[i]}; every width must be ≥ 1", nameof(spec));
        }
        if (!(spec.Dropout >= 0 && spec.Dropout < 1))
            throw new ArgumentException($"DiscriminatorSpec.Dropout is {spec.Dropout}; expected a probability in [0, 1)", nameof(spec));
        if (!(spec.LeakySlope >= 0))
            throw new ArgumentException($"DiscriminatorSpec.LeakySlope is {spec.LeakySlope}; expected ≥ 0", nameof(spec));
    }
}
