using Latent.Data;
using Latent.Data.Images;
using Latent.Nets;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Recipes;

/// <summary>
/// Builds a recipe's networks for its data: perceptrons for any data, DCGAN and convolutional nets for images, each
/// wrapped in <see cref="LabelConditioned"/> when the family is conditional. The one place where net kinds become types.
/// </summary>
public static class NetBuilder
{
    /// <summary>A network that turns <paramref name="inputs"/> values (a code, noise) into one example of <paramref name="shape"/>.</summary>
    /// <param name="spec">Its kind and options.</param>
    /// <param name="inputs">Values in: the latent size, plus the label embedding of a conditional model.</param>
    /// <param name="shape">The examples it makes.</param>
    /// <param name="device">Where it lives.</param>
    /// <param name="path">The recipe path of <paramref name="spec"/>, for errors.</param>
    public static nn.Module<Tensor, Tensor> Producer(NetSpec spec, int inputs, DataShape shape, Device device, string path)
    {
        nn.Module<Tensor, Tensor> net = Checked(spec, path, shape, () => spec.Kind switch
        {
            "dcgan" => new DcganGenerator(new DcganGeneratorSpec(inputs, SquareSide(shape, path), shape.Channels, spec.Width ?? 64,
                                                                 Activation(spec.OutputActivation), spec.BatchNorm, Init(spec.Init))),
            "conv" => new ConvDecoder(new ConvDecoderSpec(inputs, SquareSide(shape, path), shape.Channels, spec.Width ?? 32, spec.Layers ?? 2,
                                                          Activation(spec.Activation), Activation(spec.OutputActivation), spec.BatchNorm, Init(spec.Init), spec.LeakySlope)),
            _ => Perceptron(spec, inputs, shape.Features),
        });
        return net.to(device);
    }

    /// <summary>A network that reads one example of <paramref name="shape"/> and returns <paramref name="outputs"/> values (an encoder).</summary>
    /// <param name="spec">Its kind and options.</param>
    /// <param name="shape">The examples it reads.</param>
    /// <param name="outputs">Values out.</param>
    /// <param name="labelFeatures">Extra input values joined to a perceptron's input (a label embedding), else 0.</param>
    /// <param name="labelChannels">Extra input channels of a convolutional net (a label plane), else 0.</param>
    /// <param name="device">Where it lives.</param>
    /// <param name="path">The recipe path of <paramref name="spec"/>, for errors.</param>
    public static nn.Module<Tensor, Tensor> Reader(NetSpec spec, DataShape shape, int outputs, int labelFeatures, int labelChannels, Device device, string path)
    {
        nn.Module<Tensor, Tensor> net = Checked(spec, path, shape, () => spec.Kind switch
        {
            "conv" => new ConvEncoder(new ConvEncoderSpec(SquareSide(shape, path), shape.Channels + labelChannels, outputs, spec.Width ?? 32, spec.Layers ?? 2,
                                                          Activation(spec.Activation), spec.BatchNorm, Init(spec.Init), spec.LeakySlope)),
            "dcgan" => throw new RecipeException($"{path}.kind: \"dcgan\" builds generators and discriminators; an encoder is \"mlp\" or \"conv\""),
            _ => Perceptron(spec, shape.Features + labelFeatures, outputs),
        });
        return net.to(device);
    }

    /// <summary>A discriminator or critic over examples of <paramref name="shape"/>: one raw score each.</summary>
    /// <param name="spec">Its kind and options.</param>
    /// <param name="shape">The examples it scores.</param>
    /// <param name="labelFeatures">Extra input values of a perceptron (a label embedding), else 0.</param>
    /// <param name="labelChannels">Extra input channels of a DCGAN discriminator (a label plane), else 0.</param>
    /// <param name="device">Where it lives.</param>
    /// <param name="path">The recipe path of <paramref name="spec"/>, for errors.</param>
    public static nn.Module<Tensor, Tensor> Critic(NetSpec spec, DataShape shape, int labelFeatures, int labelChannels, Device device, string path)
    {
        nn.Module<Tensor, Tensor> net = Checked(spec, path, shape, () => spec.Kind switch
        {
            "dcgan" => new DcganDiscriminator(new DcganDiscriminatorSpec(SquareSide(shape, path), shape.Channels + labelChannels, spec.Width ?? 64, spec.BatchNorm,
                                                                         spec.LeakySlope, spec.SpectralNorm, spec.MinibatchStdDev, MinibatchDiscrimination(spec), Init(spec.Init))),
            "conv" => throw new RecipeException($"{path}.kind: \"conv\" builds encoders and decoders; a discriminator is \"mlp\" or \"dcgan\""),
            _ => new Discriminator(new DiscriminatorSpec(
                shape.Features + labelFeatures,
                spec.Hidden,
                Activation: Activation(spec.Activation),
                Dropout: spec.Dropout,
                SpectralNorm: spec.SpectralNorm,
                MinibatchStdDev: spec.MinibatchStdDev,
                MinibatchDiscrimination: MinibatchDiscrimination(spec),
                Init: Init(spec.Init),
                LeakySlope: spec.LeakySlope,
                BatchNorm: spec.BatchNorm)),
        });
        return net.to(device);
    }

    /// <summary>
    /// How a network reads a label: a perceptron joins an embedding of <paramref name="embedding"/> values to its input;
    /// a convolutional reader of images joins a one-channel label plane (an embedding of H·W values).
    /// </summary>
    public static (LabelJoin Join, int Embedding, int Features, int Channels) LabelInput(NetSpec spec, DataShape shape, int embedding) =>
        spec.Kind == "mlp"
            ? (LabelJoin.Features, embedding, embedding, 0)
            : (LabelJoin.Channel, shape.Height * shape.Width, 0, 1);

    /// <summary>An <see cref="Mlp"/> from <paramref name="inputs"/> through the spec's hidden layers to <paramref name="outputs"/>.</summary>
    public static Mlp Perceptron(NetSpec spec, int inputs, int outputs) => new(new MlpSpec(
        [inputs, .. spec.Hidden, outputs],
        Hidden: Activation(spec.Activation),
        Output: Activation(spec.OutputActivation),
        BatchNorm: spec.BatchNorm,
        Dropout: spec.Dropout,
        Init: Init(spec.Init),
        LeakySlope: spec.LeakySlope,
        SpectralNorm: spec.SpectralNorm));

    private static MinibatchDiscriminationSpec? MinibatchDiscrimination(NetSpec spec) =>
        spec.MinibatchKernels > 0 ? new MinibatchDiscriminationSpec(spec.MinibatchKernels, spec.MinibatchKernelDim) : null;

    private static Activation Activation(string name) => RecipeNames.Activations[name];

    private static Initializer Init(string name) => RecipeNames.Initializers[name];

    private static int SquareSide(DataShape shape, string path)
    {
        if (!shape.IsImage)
            throw new RecipeException($"{path}.kind: convolutional nets need image data (mnist, fashion-mnist, idx, random-images); expected \"mlp\" for this data");
        if (shape.Height != shape.Width)
            throw new RecipeException($"{path}.kind: convolutional nets here need square images; the data's are {shape.Height} × {shape.Width}");
        return shape.Height;
    }

    /// <summary>
    /// Builds a net, turning its constructor's complaint (an image size its layers cannot reach, say) into a recipe
    /// error that names the recipe fields a user can change.
    /// </summary>
    private static nn.Module<Tensor, Tensor> Checked(NetSpec spec, string path, DataShape shape, Func<nn.Module<Tensor, Tensor>> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            string fields = spec.Kind switch
            {
                "conv" => $"data.image_size or {path}.layers",
                "dcgan" => "data.image_size",
                _ => $"{path}.hidden",
            };
            string images = shape.IsImage ? $" for {shape.Channels}×{shape.Height}×{shape.Width} images" : "";
            throw new RecipeException($"{path}: cannot be built{images} (change {fields}): {e.Message}", e);
        }
    }
}
