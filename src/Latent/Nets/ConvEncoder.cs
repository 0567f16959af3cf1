using Latent.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>
/// A convolutional encoder: image → [Conv(·, ·, 4, 2, 1), (BN), activation] × Downsamples → flatten → Linear to Outputs.
/// </summary>
/// <remarks>
/// <para>Each convolution halves the side and doubles the channels, from Width: with Width 32 and 2 downsamples a
/// 28×28 image becomes 32 × 14×14, then 64 × 7×7, then the Linear maps 64·7·7 = 3136 features to Outputs. The output has no
/// activation: it is a code, or μ and log σ² for a <see cref="Models.VariationalAutoencoder"/>.</para>
/// <para>With BatchNorm on, convolutions have no bias (BatchNorm removes a shift anyway); with it off, each has one.</para>
/// <para>Shape: (N, Channels, ImageSize, ImageSize), or flat (N, Channels·ImageSize²) → (N, Outputs).</para>
/// <para>State: the layers live in <c>layers</c>, named <c>conv0</c>, <c>batchnorm0</c>, <c>activation0</c>, …,
/// <c>flatten</c>, <c>linear</c>, so checkpoint keys read <c>layers.conv0.weight</c>. Weights are drawn from libtorch's
/// global generator, which the caller seeds.</para>
/// </remarks>
public sealed class ConvEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Builds the encoder and draws its weights.</summary>
    /// <param name="spec">Sizes and options.</param>
    /// <exception cref="ArgumentException">An image size not divisible by 2^Downsamples, a size below 1, a negative slope or an unknown enum value, naming the field.</exception>
    public ConvEncoder(ConvEncoderSpec spec) : base(nameof(ConvEncoder))
    {
        // Runs the once-per-process check of oneDNN's convolutions, which are wrong on some CPUs (LatentRuntime.OneDnnStatus).
        LatentRuntime.EnsureConvolutionsChecked();
        Validate(spec);
        Spec = spec;
        layers = nn.Sequential(BuildLayers(spec));
        RegisterComponents();
    }

    /// <summary>The spec the encoder was built from.</summary>
    public ConvEncoderSpec Spec { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        long size = Spec.ImageSize;
        bool images = input.dim() == 4 && input.shape[1] == Spec.Channels && input.shape[2] == size && input.shape[3] == size;
        bool flat = input.dim() == 2 && input.shape[1] == Spec.Channels * size * size;
        if (!images && !flat)
            throw new ArgumentException($"image batch [{string.Join(", ", input.shape)}]; expected [N, {Spec.Channels}, {size}, {size}] or [N, {Spec.Channels * size * size}] from ConvEncoderSpec.Channels and ImageSize", nameof(input));
        var x = images ? input : input.reshape(-1, Spec.Channels, size, size); // (N, C, S, S)
        return layers.forward(x);                                           // (N, Outputs)
    }

    private static List<(string, nn.Module<Tensor, Tensor>)> BuildLayers(ConvEncoderSpec spec)
    {
        var result = new List<(string, nn.Module<Tensor, Tensor>)>();
        long channels = spec.Width;
        for (int i = 0; i < spec.Downsamples; i++)
        {
            long inputs = i == 0 ? spec.Channels : channels / 2;
            var convolution = Convolution2d.Create(inputs, channels, 4, stride: 2, padding: 1, bias: !spec.BatchNorm);
            LayerInit.Apply(convolution, spec.Init);
            result.Add(($"conv{i}", convolution));
            if (spec.BatchNorm)
            {
                var batchNorm = nn.BatchNorm2d(channels);
                LayerInit.Apply(batchNorm, spec.Init);
                result.Add(($"batchnorm{i}", batchNorm));
            }
            var activation = ActivationLayer.Create(spec.Activation, spec.LeakySlope);
            if (activation is not null)
                result.Add(($"activation{i}", activation));
            channels *= 2;
        }

        long side = spec.ImageSize >> spec.Downsamples;
        result.Add(("flatten", nn.Flatten()));
        var linear = nn.Linear(channels / 2 * side * side, spec.Outputs);
        LayerInit.Apply(linear, spec.Init);
        result.Add(("linear", linear));
        return result;
    }

    private static void Validate(ConvEncoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        SpecChecks.AtLeastOne("ConvEncoderSpec.ImageSize", spec.ImageSize);
        SpecChecks.AtLeastOne("ConvEncoderSpec.Channels", spec.Channels);
        SpecChecks.AtLeastOne("ConvEncoderSpec.Outputs", spec.Outputs);
        SpecChecks.AtLeastOne("ConvEncoderSpec.Width", spec.Width);
        SpecChecks.AtLeastOne("ConvEncoderSpec.Downsamples", spec.Downsamples);
        SpecChecks.Divisible("ConvEncoderSpec", spec.ImageSize, spec.Downsamples, "Downsamples");
        SpecChecks.Defined("ConvEncoderSpec.Activation", spec.Activation);
        SpecChecks.Defined("ConvEncoderSpec.Init", spec.Init);
        SpecChecks.Slope("ConvEncoderSpec.LeakySlope", spec.LeakySlope);
    }
}
