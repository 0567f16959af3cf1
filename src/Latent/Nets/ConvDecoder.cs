using Latent.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>
/// A convolutional decoder: z → Linear to a small map, (BN), activation → [ConvT(·, ·, 4, 2, 1), (BN), activation]… →
/// ConvT to the image → output activation; the mirror of <see cref="ConvEncoder"/>.
/// </summary>
/// <remarks>
/// <para>The Linear maps Inputs to W·2^(u−1) channels on an s×s square, s = ImageSize / 2^u, W = Width and u = Upsamples;
/// each transposed convolution doubles the side and halves the channels, and the last one maps W channels to the image.
/// With Width 32 and 2 upsamples at 28 px: Linear(Inputs, 64·7·7), then ConvT(64, 32) → 14×14, then ConvT(32, Channels) → 28×28.</para>
/// <para>With BatchNorm on, the Linear and the transposed convolutions that BatchNorm follows have no bias (it removes a
/// shift anyway); the output layer always has one.</para>
/// <para>Shape: (N, Inputs) → (N, Channels, ImageSize, ImageSize), or (N, Channels·ImageSize²) with
/// <see cref="ConvDecoderSpec.FlatOutput"/>.</para>
/// <para>State: the layers live in <c>layers</c>, named <c>linear</c>, <c>unflatten</c>, <c>batchnorm0</c>,
/// <c>activation0</c>, <c>convtranspose1</c>, <c>batchnorm1</c>, <c>activation1</c>, …, so checkpoint keys read
/// <c>layers.linear.weight</c>. Weights are drawn from libtorch's global generator, which the caller seeds.</para>
/// </remarks>
public sealed class ConvDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Builds the decoder and draws its weights.</summary>
    /// <param name="spec">Sizes and options.</param>
    /// <exception cref="ArgumentException">An image size not divisible by 2^Upsamples, a size below 1, a negative slope or an unknown enum value, naming the field.</exception>
    public ConvDecoder(ConvDecoderSpec spec) : base(nameof(ConvDecoder))
    {
        // Runs the once-per-process check of oneDNN's convolutions, which are wrong on some CPUs (LatentRuntime.OneDnnStatus).
        LatentRuntime.EnsureConvolutionsChecked();
        Validate(spec);
        Spec = spec;
        layers = nn.Sequential(BuildLayers(spec));
        RegisterComponents();
    }

    /// <summary>The spec the decoder was built from.</summary>
    public ConvDecoderSpec Spec { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 2 || input.shape[1] != Spec.Inputs)
            throw new ArgumentException($"code batch [{string.Join(", ", input.shape)}]; expected [N, {Spec.Inputs}] from ConvDecoderSpec.Inputs", nameof(input));
        // Convolutions may store their output channels-last (Convolution2d); images leave in the usual NCHW layout.
        var images = layers.forward(input).contiguous();          // (N, C, S, S)
        return Spec.FlatOutput ? images.flatten(1) : images;      // (N, C·S·S) when flat
    }

    private static List<(string, nn.Module<Tensor, Tensor>)> BuildLayers(ConvDecoderSpec spec)
    {
        var result = new List<(string, nn.Module<Tensor, Tensor>)>();
        long side = spec.ImageSize >> spec.Upsamples;
        long channels = (long)spec.Width << (spec.Upsamples - 1);

        var linear = nn.Linear(spec.Inputs, channels * side * side, hasBias: !spec.BatchNorm);
        LayerInit.Apply(linear, spec.Init);
        result.Add(("linear", linear));
        result.Add(("unflatten", nn.Unflatten(1, [channels, side, side])));
        AddHidden(result, spec, 0, channels);

        // Hidden blocks 1 … u−1 double the side and halve the channels; the output block maps W channels to the image.
        for (int i = 1; i < spec.Upsamples; i++)
        {
            var convolution = Convolution2d.CreateTransposed(channels, channels / 2, 4, stride: 2, padding: 1, bias: !spec.BatchNorm);
            LayerInit.Apply(convolution, spec.Init);
            result.Add(($"convtranspose{i}", convolution));
            channels /= 2;
            AddHidden(result, spec, i, channels);
        }

        int last = spec.Upsamples;
        var output = Convolution2d.CreateTransposed(spec.Width, spec.Channels, 4, stride: 2, padding: 1);
        LayerInit.Apply(output, spec.Init);
        result.Add(($"convtranspose{last}", output));
        var outputActivation = ActivationLayer.Create(spec.Output, spec.LeakySlope);
        if (outputActivation is not null)
            result.Add(($"activation{last}", outputActivation));
        return result;
    }

    /// <summary>BatchNorm (if on) and the hidden activation after block <paramref name="index"/>.</summary>
    private static void AddHidden(List<(string, nn.Module<Tensor, Tensor>)> layers, ConvDecoderSpec spec, int index, long channels)
    {
        if (spec.BatchNorm)
        {
            var batchNorm = nn.BatchNorm2d(channels);
            LayerInit.Apply(batchNorm, spec.Init);
            layers.Add(($"batchnorm{index}", batchNorm));
        }
        var activation = ActivationLayer.Create(spec.Activation, spec.LeakySlope);
        if (activation is not null)
            layers.Add(($"activation{index}", activation));
    }

    private static void Validate(ConvDecoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        SpecChecks.AtLeastOne("ConvDecoderSpec.Inputs", spec.Inputs);
        SpecChecks.AtLeastOne("ConvDecoderSpec.ImageSize", spec.ImageSize);
        SpecChecks.AtLeastOne("ConvDecoderSpec.Channels", spec.Channels);
        SpecChecks.AtLeastOne("ConvDecoderSpec.Width", spec.Width);
        SpecChecks.AtLeastOne("ConvDecoderSpec.Upsamples", spec.Upsamples);
        SpecChecks.Divisible("ConvDecoderSpec", spec.ImageSize, spec.Upsamples, "Upsamples");
        SpecChecks.Defined("ConvDecoderSpec.Activation", spec.Activation);
        SpecChecks.Defined("ConvDecoderSpec.Output", spec.Output);
        SpecChecks.Defined("ConvDecoderSpec.Init", spec.Init);
        SpecChecks.Slope("ConvDecoderSpec.LeakySlope", spec.LeakySlope);
    }
}
