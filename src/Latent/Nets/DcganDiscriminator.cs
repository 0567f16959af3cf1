using Latent.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>
/// The DCGAN discriminator: image → [Conv ×½, (BN), LeakyReLU]… down to a 4×4 or 7×7 map → Conv to one raw score
/// (Radford et al. 2016, "Unsupervised Representation Learning with Deep Convolutional GANs").
/// </summary>
/// <remarks>
/// <para>Layers, mirroring <see cref="DcganGenerator"/> with d halvings and W = Width: Conv(Channels, W, 4, 2, 1), LeakyReLU
/// (no BatchNorm on the input layer); then per halving Conv(c, 2c, 4, 2, 1), BN, LeakyReLU, down to W·2^(d−1) channels
/// on the end square; then, if on, <see cref="Nets.MinibatchStdDev"/> (+1 channel); then the head, Conv(·, 1, k, 1, 0)
/// with k the square's side, flattened to (N, 1). At 32 px and W = 64: Conv(1, 64) → 16×16, Conv(64, 128), BN → 8×8,
/// Conv(128, 256), BN → 4×4, Conv(256, 1, 4, 1, 0) → 1×1. With <see cref="DcganDiscriminatorSpec.MinibatchDiscrimination"/>
/// the head is flatten → <see cref="Nets.MinibatchDiscrimination"/> → Linear(·, 1) instead.</para>
/// <para>There is no sigmoid: scores are logits for the BCE losses and critic values for Wasserstein and hinge, and every
/// loss takes them raw. With BatchNorm on, no convolution has a bias, as in the tutorial; with it off, each has one.</para>
/// <para>Shape: (N, Channels, ImageSize, ImageSize), or flat (N, Channels·ImageSize²) → (N, 1).
/// <see cref="Features"/> gives (N, W·2^(d−1)·k²), the flattened end map.</para>
/// <para>State: <c>body</c> holds <c>conv0</c>, <c>activation0</c>, <c>conv1</c>, <c>batchnorm1</c>, <c>activation1</c>, …;
/// then <c>minibatch_stddev</c> and <c>minibatch_discrimination</c> when on (the latter has a weight) and <c>head</c>.
/// Weights are drawn from libtorch's global generator, which the caller seeds.</para>
/// </remarks>
public sealed class DcganDiscriminator : nn.Module<Tensor, Tensor>, IFeatureExtractor
{
    private readonly Sequential body;
    private readonly MinibatchStdDev? minibatch_stddev;
    private readonly MinibatchDiscrimination? minibatch_discrimination;
    private readonly nn.Module<Tensor, Tensor> head;

    /// <summary>Builds the discriminator and draws its weights.</summary>
    /// <param name="spec">Sizes and options.</param>
    /// <exception cref="ArgumentException">An unsupported image size (naming the supported ones), a size below 1, a negative slope or an unknown enum value, naming the field.</exception>
    public DcganDiscriminator(DcganDiscriminatorSpec spec) : base(nameof(DcganDiscriminator))
    {
        // Runs the once-per-process check of oneDNN's convolutions, which are wrong on some CPUs (LatentRuntime.OneDnnStatus).
        LatentRuntime.EnsureConvolutionsChecked();
        var layout = Validate(spec);
        Spec = spec;
        body = nn.Sequential(BuildBody(spec, layout));

        long channels = layout.WidestChannels(spec.Width);
        if (spec.MinibatchStdDev)
        {
            minibatch_stddev = new MinibatchStdDev();
            channels += 1;
        }
        if (spec.MinibatchDiscrimination is null)
        {
            var convolution = Convolution2d.Create(channels, 1, layout.Start, stride: 1, padding: 0, bias: !spec.BatchNorm);
            LayerInit.Apply(convolution, spec.Init);
            head = spec.SpectralNorm ? new SpectralNorm(convolution) : convolution;
        }
        else
        {
            long flat = channels * layout.Start * layout.Start;
            if (flat > int.MaxValue)
                throw new ArgumentException($"DcganDiscriminatorSpec.Width is {spec.Width}; the {flat} features it gives the minibatch discrimination layer exceed {int.MaxValue}", nameof(spec));
            minibatch_discrimination = new MinibatchDiscrimination((int)flat, spec.MinibatchDiscrimination);
            var linear = nn.Linear(minibatch_discrimination.OutFeatures, 1);
            LayerInit.Apply(linear, spec.Init);
            head = spec.SpectralNorm ? new SpectralNorm(linear) : linear;
        }
        RegisterComponents();
    }

    /// <summary>The spec the discriminator was built from.</summary>
    public DcganDiscriminatorSpec Spec { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = body.forward(AsImages(input));            // (N, W·2^(d−1), k, k)
        if (minibatch_stddev is not null)
            x = minibatch_stddev.forward(x);              // (N, W·2^(d−1) + 1, k, k)
        if (minibatch_discrimination is not null)
            x = minibatch_discrimination.forward(x.flatten(1)); // (N, F + B)
        return head.forward(x).reshape(-1, 1);            // (N, 1)
    }

    /// <summary>The body's output flattened, (N, W·2^(d−1)·k²): the penultimate features, before any minibatch layer (for feature matching).</summary>
    /// <param name="input">Images, (N, Channels, ImageSize, ImageSize) or flat.</param>
    public Tensor Features(Tensor input) => body.forward(AsImages(input)).flatten(1);

    private Tensor AsImages(Tensor input)
    {
        long size = Spec.ImageSize;
        bool images = input.dim() == 4 && input.shape[1] == Spec.Channels && input.shape[2] == size && input.shape[3] == size;
        bool flat = input.dim() == 2 && input.shape[1] == Spec.Channels * size * size;
        if (!images && !flat)
            throw new ArgumentException($"image batch [{string.Join(", ", input.shape)}]; expected [N, {Spec.Channels}, {size}, {size}] or [N, {Spec.Channels * size * size}] from DcganDiscriminatorSpec.Channels and ImageSize", nameof(input));
        return images ? input : input.reshape(-1, Spec.Channels, size, size);
    }

    private static List<(string, nn.Module<Tensor, Tensor>)> BuildBody(DcganDiscriminatorSpec spec, DcganLayout layout)
    {
        var result = new List<(string, nn.Module<Tensor, Tensor>)>();
        long channels = spec.Width;
        for (int i = 0; i < layout.Doublings; i++)
        {
            long inputs = i == 0 ? spec.Channels : channels / 2;
            var convolution = Convolution2d.Create(inputs, channels, 4, stride: 2, padding: 1, bias: !spec.BatchNorm);
            LayerInit.Apply(convolution, spec.Init);
            result.Add(($"conv{i}", spec.SpectralNorm ? new SpectralNorm(convolution) : convolution));
            // The input layer has no BatchNorm (Radford et al. 2016, §3): normalizing raw images made training unstable.
            if (spec.BatchNorm && i > 0)
            {
                var batchNorm = nn.BatchNorm2d(channels);
                LayerInit.Apply(batchNorm, spec.Init);
                result.Add(($"batchnorm{i}", batchNorm));
            }
            result.Add(($"activation{i}", nn.LeakyReLU(spec.LeakySlope)));
            channels *= 2;
        }
        return result;
    }

    private static DcganLayout Validate(DcganDiscriminatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var layout = DcganLayout.For(spec.ImageSize)
            ?? throw new ArgumentException($"DcganDiscriminatorSpec.ImageSize is {spec.ImageSize}; expected {DcganLayout.SupportedSizes}", nameof(spec));
        SpecChecks.AtLeastOne("DcganDiscriminatorSpec.Channels", spec.Channels);
        SpecChecks.AtLeastOne("DcganDiscriminatorSpec.Width", spec.Width);
        SpecChecks.Slope("DcganDiscriminatorSpec.LeakySlope", spec.LeakySlope);
        SpecChecks.Defined("DcganDiscriminatorSpec.Init", spec.Init);
        return layout;
    }
}
