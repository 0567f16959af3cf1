using Latent.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>
/// The DCGAN generator: z → ConvT (to a 4×4 or 7×7 map) → [ConvT ×2 up, BN, ReLU]… → ConvT to the image → output
/// activation (Radford et al. 2016, "Unsupervised Representation Learning with Deep Convolutional GANs").
/// </summary>
/// <remarks>
/// <para>Layers, with d the number of doublings from the start square to ImageSize and W = Width: ConvT(latent, W·2^(d−1),
/// k, 1, 0) with k the start square's side, BN, ReLU; then per doubling but the last ConvT(c, c/2, 4, 2, 1), BN, ReLU;
/// then ConvT(W, Channels, 4, 2, 1) and the output activation, never BatchNorm. At 32 px and W = 64:
/// ConvT(100, 256, 4, 1, 0) → 4×4, ConvT(256, 128) → 8×8, ConvT(128, 64) → 16×16, ConvT(64, 1) → 32×32, Tanh. There
/// is no fully connected layer and no upsampling other than the strided transposed convolutions.</para>
/// <para>With BatchNorm on, no transposed convolution has a bias, as in the tutorial (BatchNorm removes a shift anyway);
/// with it off, each has one.</para>
/// <para>Shape: z (N, LatentDim) or (N, LatentDim, 1, 1) → (N, Channels, ImageSize, ImageSize), or (N, Channels·ImageSize²)
/// with <see cref="DcganGeneratorSpec.FlatOutput"/>.</para>
/// <para>State: the layers live in <c>layers</c>, named <c>convtranspose0</c>, <c>batchnorm0</c>, <c>activation0</c>, …
/// so checkpoint keys read <c>layers.convtranspose0.weight</c> and <c>layers.batchnorm0.running_mean</c>. Weights are
/// drawn from libtorch's global generator, which the caller seeds.</para>
/// </remarks>
public sealed class DcganGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Builds the generator and draws its weights.</summary>
    /// <param name="spec">Sizes and options.</param>
    /// <exception cref="ArgumentException">An unsupported image size (naming the supported ones), a size below 1 or an unknown enum value, naming the field.</exception>
    public DcganGenerator(DcganGeneratorSpec spec) : base(nameof(DcganGenerator))
    {
        // Runs the once-per-process check of oneDNN's convolutions, which are wrong on some CPUs (LatentRuntime.OneDnnStatus).
        LatentRuntime.EnsureConvolutionsChecked();
        var layout = Validate(spec);
        Spec = spec;
        layers = nn.Sequential(BuildLayers(spec, layout));
        RegisterComponents();
    }

    /// <summary>The spec the generator was built from.</summary>
    public DcganGeneratorSpec Spec { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        bool flat = input.dim() == 2 && input.shape[1] == Spec.LatentDim;
        bool square = input.dim() == 4 && input.shape[1] == Spec.LatentDim && input.shape[2] == 1 && input.shape[3] == 1;
        if (!flat && !square)
            throw new ArgumentException($"latent batch [{string.Join(", ", input.shape)}]; expected [N, {Spec.LatentDim}] or [N, {Spec.LatentDim}, 1, 1] from DcganGeneratorSpec.LatentDim", nameof(input));
        var z = input.reshape(input.shape[0], Spec.LatentDim, 1, 1); // (N, latent, 1, 1)
        // Convolutions may store their output channels-last (Convolution2d); images leave in the usual NCHW layout.
        var images = layers.forward(z).contiguous();               // (N, C, S, S)
        return Spec.FlatOutput ? images.flatten(1) : images;       // (N, C·S·S) when flat
    }

    private static List<(string, nn.Module<Tensor, Tensor>)> BuildLayers(DcganGeneratorSpec spec, DcganLayout layout)
    {
        var result = new List<(string, nn.Module<Tensor, Tensor>)>();
        long channels = layout.WidestChannels(spec.Width);
        // Block 0 maps z at 1×1 to the start square; each later hidden block doubles the side and halves the channels.
        for (int i = 0; i < layout.Doublings; i++)
        {
            long inputs = i == 0 ? spec.LatentDim : channels * 2;
            var convolution = i == 0
                ? Convolution2d.CreateTransposed(inputs, channels, layout.Start, stride: 1, padding: 0, bias: !spec.BatchNorm)
                : Convolution2d.CreateTransposed(inputs, channels, 4, stride: 2, padding: 1, bias: !spec.BatchNorm);
            LayerInit.Apply(convolution, spec.Init);
            result.Add(($"convtranspose{i}", convolution));
            if (spec.BatchNorm)
            {
                var batchNorm = nn.BatchNorm2d(channels);
                LayerInit.Apply(batchNorm, spec.Init);
                result.Add(($"batchnorm{i}", batchNorm));
            }
            result.Add(($"activation{i}", nn.ReLU()));
            channels /= 2;
        }

        int last = layout.Doublings;
        var output = Convolution2d.CreateTransposed(spec.Width, spec.Channels, 4, stride: 2, padding: 1, bias: !spec.BatchNorm);
        LayerInit.Apply(output, spec.Init);
        result.Add(($"convtranspose{last}", output));
        var activation = ActivationLayer.Create(spec.Output, leakySlope: 0.2);
        if (activation is not null)
            result.Add(($"activation{last}", activation));
        return result;
    }

    private static DcganLayout Validate(DcganGeneratorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        SpecChecks.AtLeastOne("DcganGeneratorSpec.LatentDim", spec.LatentDim);
        var layout = DcganLayout.For(spec.ImageSize)
            ?? throw new ArgumentException($"DcganGeneratorSpec.ImageSize is {spec.ImageSize}; expected {DcganLayout.SupportedSizes}", nameof(spec));
        SpecChecks.AtLeastOne("DcganGeneratorSpec.Channels", spec.Channels);
        SpecChecks.AtLeastOne("DcganGeneratorSpec.Width", spec.Width);
        SpecChecks.Defined("DcganGeneratorSpec.Output", spec.Output);
        SpecChecks.Defined("DcganGeneratorSpec.Init", spec.Init);
        return layout;
    }
}
