using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>
/// A multilayer perceptron: y = f_out(W_L · … f(W_1 x + b_1) … + b_L), built from an <see cref="MlpSpec"/>.
/// </summary>
/// <remarks>
/// <para>Each hidden layer is Linear → activation → BatchNorm1d (if on) → <see cref="Dropout"/> (if &gt; 0), the order of
/// the MNIST GAN in the PyTorch tutorial; the last layer is Linear → output activation. With <see cref="MlpSpec.SpectralNorm"/>
/// each Linear is a <see cref="SpectralNorm"/>.</para>
/// <para>Shape: input (N, Widths[0]), or (N, …) whose trailing dimensions multiply to Widths[0] (an image batch is
/// flattened); output (N, Widths[^1]).</para>
/// <para>State: the layers live in <c>layers</c>, named <c>linear0</c>, <c>activation0</c>, <c>batchnorm0</c>,
/// <c>dropout0</c>, … so that checkpoint keys read <c>layers.linear0.weight</c>. Weights are drawn from libtorch's
/// global generator, which the caller seeds.</para>
/// </remarks>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Builds the network and draws its weights.</summary>
    /// <param name="spec">Widths, activations and options.</param>
    /// <exception cref="ArgumentException">A width below 1 (naming its index), a dropout outside [0, 1) or a negative slope.</exception>
    public Mlp(MlpSpec spec) : this(spec, finalBlockIsHidden: false)
    {
    }

    /// <summary>
    /// Builds the network; with <paramref name="finalBlockIsHidden"/> the last layer is a hidden block too (activation,
    /// BatchNorm, Dropout), as in a discriminator's body, where the head comes after.
    /// </summary>
    internal Mlp(MlpSpec spec, bool finalBlockIsHidden) : base(nameof(Mlp))
    {
        Validate(spec);
        Spec = spec;
        var affineLayers = new List<AffineLayer>();
        layers = nn.Sequential(BuildLayers(spec, finalBlockIsHidden, affineLayers));
        RegisterComponents();
        if (!spec.BatchNorm && spec.Dropout == 0 && !spec.SpectralNorm)
            AffineLayers = affineLayers;
    }

    /// <summary>The spec the network was built from.</summary>
    public MlpSpec Spec { get; }

    /// <summary>
    /// The layers in order when the network is a plain chain of Linear layers and elementwise activations (no batch
    /// norm, dropout or spectral norm), for <see cref="MlpChain"/>; null otherwise.
    /// </summary>
    internal IReadOnlyList<AffineLayer>? AffineLayers { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = input.dim() > 2 ? input.flatten(1) : input; // (N, Widths[0])
        return layers.forward(x);                            // (N, Widths[^1])
    }

    /// <summary>The named layers of the Sequential; each Linear and its activation are also added to <paramref name="affineLayers"/>.</summary>
    private static List<(string, nn.Module<Tensor, Tensor>)> BuildLayers(MlpSpec spec, bool finalBlockIsHidden, List<AffineLayer> affineLayers)
    {
        var result = new List<(string, nn.Module<Tensor, Tensor>)>();
        int layerCount = spec.Widths.Length - 1;
        for (int i = 0; i < layerCount; i++)
        {
            bool hidden = i < layerCount - 1 || finalBlockIsHidden;
            var linear = nn.Linear(spec.Widths[i], spec.Widths[i + 1]);
            LayerInit.Apply(linear, spec.Init);
            result.Add(($"linear{i}", spec.SpectralNorm ? new SpectralNorm(linear) : linear));

            var activationKind = hidden ? spec.Hidden : spec.Output;
            affineLayers.Add(new AffineLayer(linear, activationKind, spec.LeakySlope));
            var activation = ActivationLayer.Create(activationKind, spec.LeakySlope);
            if (activation is not null)
                result.Add(($"activation{i}", activation));
            if (!hidden)
                continue;
            if (spec.BatchNorm)
            {
                var batchNorm = nn.BatchNorm1d(spec.Widths[i + 1]);
                LayerInit.Apply(batchNorm, spec.Init);
                result.Add(($"batchnorm{i}", batchNorm));
            }
            if (spec.Dropout > 0)
                result.Add(($"dropout{i}", new Dropout(spec.Dropout)));
        }
        return result;
    }

    private static void Validate(MlpSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(spec.Widths, "spec.Widths");
        if (spec.Widths.Length < 2)
            throw new ArgumentException($"MlpSpec.Widths has {spec.Widths.Length} entries; expected at least 2: [input, hidden…, output]", nameof(spec));
        for (int i = 0; i < spec.Widths.Length; i++)
        {
            if (spec.Widths[i] < 1)
                throw new ArgumentException($"MlpSpec.Widths[{i}] is {spec.Widths[i]}; every width must be ≥ 1", nameof(spec));
        }
        if (!(spec.Dropout >= 0 && spec.Dropout < 1))
            throw new ArgumentException($"MlpSpec.Dropout is {spec.Dropout}; expected a probability in [0, 1)", nameof(spec));
        if (!(spec.LeakySlope >= 0))
            throw new ArgumentException($"MlpSpec.LeakySlope is {spec.LeakySlope}; expected ≥ 0", nameof(spec));
        foreach (var (name, activation) in new[] { ("Hidden", spec.Hidden), ("Output", spec.Output) })
        {
            if (!Enum.IsDefined(activation))
                throw new ArgumentException($"MlpSpec.{name} is {(int)activation}; expected one of {string.Join(", ", Enum.GetNames<Activation>())}", nameof(spec));
        }
        if (!Enum.IsDefined(spec.Init))
            throw new ArgumentException($"MlpSpec.Init is {(int)spec.Init}; expected one of {string.Join(", ", Enum.GetNames<Initializer>())}", nameof(spec));
    }
}
