using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>
/// Conditions a network on class labels: y = inner(join(x, embedding(label))) (Mirza and Osindero 2014, "Conditional
/// Generative Adversarial Nets"; the embedding form of the PyTorch tutorial).
/// </summary>
/// <remarks>
/// <para>The same wrapper serves a conditional generator (z joined with the label), a conditional discriminator (the image
/// joined with it) and a conditional VAE's encoder and decoder. The embedding is learned with the inner network; it is
/// drawn from N(0, 1) with libtorch's global generator, as nn.Embedding does.</para>
/// <para>Shape: with <see cref="LabelJoin.Features"/>, x (N, …) flattening to F and labels (N) → inner on (N, F + E); with
/// <see cref="LabelJoin.Channel"/>, x (N, C, H, W) with H·W = E → inner on (N, C + 1, H, W). Labels are integers in
/// [0, Classes).</para>
/// <para>State: <c>embedding</c> (weight (Classes, E)) and <c>inner</c>, whose keys read <c>inner.…</c>. The wrapper owns
/// the inner network: disposing it disposes both.</para>
/// </remarks>
public sealed class LabelConditioned : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly nn.Module<Tensor, Tensor> inner;

    /// <summary>Wraps <paramref name="inner"/>, which must take the joined input.</summary>
    /// <param name="inner">The network to condition; it takes (N, F + E) for a feature join, (N, C + 1, H, W) for a channel join.</param>
    /// <param name="classes">The number of classes, ≥ 1 (10 for MNIST).</param>
    /// <param name="embeddingDim">E, the width of a label's embedding, ≥ 1 (50 for the tutorial's generator, 784 for its discriminator; H·W for a channel join).</param>
    /// <param name="join">How the embedding meets the input; appended features by default.</param>
    /// <exception cref="ArgumentException">A count below 1 or an unknown join, naming the argument.</exception>
    public LabelConditioned(nn.Module<Tensor, Tensor> inner, int classes, int embeddingDim, LabelJoin join = LabelJoin.Features) : base(nameof(LabelConditioned))
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (classes < 1)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "the number of classes must be ≥ 1");
        if (embeddingDim < 1)
            throw new ArgumentOutOfRangeException(nameof(embeddingDim), embeddingDim, "the embedding width must be ≥ 1");
        if (!Enum.IsDefined(join))
            throw new ArgumentOutOfRangeException(nameof(join), join, $"expected one of {string.Join(", ", Enum.GetNames<LabelJoin>())}");
        Classes = classes;
        EmbeddingDim = embeddingDim;
        Join = join;
        this.inner = inner;
        embedding = nn.Embedding(classes, embeddingDim);
        RegisterComponents();
    }

    /// <summary>The conditioned network.</summary>
    public nn.Module<Tensor, Tensor> Inner => inner;

    /// <summary>The number of classes; labels are in [0, Classes).</summary>
    public int Classes { get; }

    /// <summary>E, the width of a label's embedding.</summary>
    public int EmbeddingDim { get; }

    /// <summary>How the embedding meets the input.</summary>
    public LabelJoin Join { get; }

    /// <summary>inner(join(x, embedding(labels))).</summary>
    /// <param name="input">x, (N, …) for a feature join or (N, C, H, W) for a channel join.</param>
    /// <param name="labels">Integer class labels, (N), each in [0, Classes).</param>
    public override Tensor forward(Tensor input, Tensor labels) => inner.forward(Joined(input, labels));

    /// <summary>The inner network's penultimate features on the joined input, for feature matching in a conditional GAN.</summary>
    /// <param name="input">x, as for <see cref="forward"/>.</param>
    /// <param name="labels">Integer class labels, (N), each in [0, Classes).</param>
    /// <exception cref="InvalidOperationException">The inner network is no <see cref="IFeatureExtractor"/>.</exception>
    public Tensor Features(Tensor input, Tensor labels)
    {
        if (inner is not IFeatureExtractor extractor)
            throw new InvalidOperationException($"the inner network, a {inner.GetType().Name}, exposes no features; it must implement {nameof(IFeatureExtractor)}");
        return extractor.Features(Joined(input, labels));
    }

    private Tensor Joined(Tensor input, Tensor labels)
    {
        CheckLabels(input, labels);
        var code = embedding.forward(labels); // (N, E)
        if (Join == LabelJoin.Features)
            return cat([input.flatten(1), code], 1); // (N, F + E)

        if (input.dim() != 4)
            throw new ArgumentException($"input [{string.Join(", ", input.shape)}]; a channel join expects images (N, C, H, W)", nameof(input));
        long height = input.shape[2], width = input.shape[3];
        if (height * width != EmbeddingDim)
            throw new ArgumentException($"input [{string.Join(", ", input.shape)}] has H·W = {height * width}, but the embedding width is {EmbeddingDim}; a channel join needs embeddingDim = H·W", nameof(input));
        return cat([input, code.view(-1, 1, height, width)], 1); // (N, C + 1, H, W)
    }

    private void CheckLabels(Tensor input, Tensor labels)
    {
        if (labels.dim() != 1 || input.dim() < 1 || labels.shape[0] != input.shape[0])
            throw new ArgumentException($"labels [{string.Join(", ", labels.shape)}]; expected [N] with N = {(input.dim() < 1 ? "?" : input.shape[0].ToString())} from the input's batch", nameof(labels));
        if (labels.dtype is not (ScalarType.Int64 or ScalarType.Int32))
            throw new ArgumentException($"labels are {labels.dtype}; expected integer class indices (Int64)", nameof(labels));
        if (labels.shape[0] == 0)
            return;
        // One read of the smallest and largest label instead of one per label; embedding's own error would not name the bad value.
        long[] range = stack([labels.min(), labels.max()]).to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        long low = range[0], high = range[1];
        if (low < 0 || high >= Classes)
            throw new ArgumentException($"label {(low < 0 ? low : high)} is outside [0, {Classes}); labels are class indices below the class count", nameof(labels));
    }
}
