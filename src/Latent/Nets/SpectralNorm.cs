using Latent.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>
/// A layer whose weight is divided by its largest singular value: W_SN = W / σ(W), σ estimated by power iteration
/// (Miyato et al. 2018, "Spectral Normalization for Generative Adversarial Networks").
/// </summary>
/// <remarks>
/// <para>The wrapper takes the layer's weight and bias as its own parameters <c>weight_orig</c> and <c>bias</c>, which
/// the optimizer updates; the effective weight W / σ is recomputed on every call. σ = uᵀ W v, where u and v are the
/// power-iteration estimates of the first left and right singular vectors of W reshaped to (out, −1), so a
/// convolution's (out, in, kH, kW) kernel is handled the same way.</para>
/// <para>State: u (out) and v (in) are buffers, saved with the weights so a resumed run continues the same estimate.
/// In training mode each call runs <c>powerIterations</c> steps (1, as in the paper) under no_grad before normalizing;
/// in evaluation mode u and v stay fixed. The gradient flows through σ to <c>weight_orig</c>, with u and v held
/// constant, as in the paper.</para>
/// <para>Shape: as the wrapped layer, (N, in) → (N, out) for a Linear, (N, in, H, W) → (N, out, H′, W′) for a Conv2d
/// or a <see cref="Convolution2d"/>, whose stride, padding, dilation and groups the wrapper keeps.</para>
/// </remarks>
public sealed class SpectralNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight_orig;
    private readonly Parameter? bias;
    private readonly Tensor u;
    private readonly Tensor v;
    private readonly int powerIterations;
    private readonly double eps;
    private readonly Func<Tensor, Tensor, Tensor?, Tensor> layerFunction;

    /// <summary>Wraps a linear layer; the wrapper owns it from then on (it takes a copy of its weight and bias and disposes it).</summary>
    /// <param name="layer">The layer to normalize.</param>
    /// <param name="powerIterations">Power-iteration steps per training call, ≥ 1; 1 by default (Miyato et al. 2018, Alg. 1).</param>
    /// <param name="eps">Added to norms when u and v are normalized, &gt; 0; 1e-12 by default (as torch.nn.utils.spectral_norm).</param>
    public SpectralNorm(Linear layer, int powerIterations = 1, double eps = 1e-12)
        : this((nn.Module)layer, powerIterations, eps)
    {
    }

    /// <summary>
    /// Wraps a 2-D convolution, keeping its stride, padding, dilation and groups; the wrapper owns it from then on
    /// (it takes a copy of its weight and bias and disposes it).
    /// </summary>
    /// <param name="layer">The convolution to normalize; its padding mode must be zeros.</param>
    /// <param name="powerIterations">Power-iteration steps per training call, ≥ 1; 1 by default (Miyato et al. 2018, Alg. 1).</param>
    /// <param name="eps">Added to norms when u and v are normalized, &gt; 0; 1e-12 by default (as torch.nn.utils.spectral_norm).</param>
    /// <exception cref="ArgumentException">The convolution pads with reflection, replication or a circle.</exception>
    public SpectralNorm(Conv2d layer, int powerIterations = 1, double eps = 1e-12)
        : this((nn.Module)layer, powerIterations, eps)
    {
    }

    /// <summary>
    /// Wraps one of Latent's convolutions (not a transposed one); the wrapper owns it from then on (it takes a copy of its
    /// weight and bias and disposes it) and computes the normalized layer the way the layer would.
    /// </summary>
    /// <param name="layer">The convolution to normalize.</param>
    /// <param name="powerIterations">Power-iteration steps per training call, ≥ 1; 1 by default (Miyato et al. 2018, Alg. 1).</param>
    /// <param name="eps">Added to norms when u and v are normalized, &gt; 0; 1e-12 by default (as torch.nn.utils.spectral_norm).</param>
    /// <exception cref="ArgumentException">The convolution is transposed: its weight is (in, out, k, k), whose rows are not its outputs.</exception>
    public SpectralNorm(Convolution2d layer, int powerIterations = 1, double eps = 1e-12)
        : this((nn.Module)layer, powerIterations, eps)
    {
    }

    private SpectralNorm(nn.Module layer, int powerIterations, double eps) : base(nameof(SpectralNorm))
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentOutOfRangeException.ThrowIfLessThan(powerIterations, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eps);
        this.powerIterations = powerIterations;
        this.eps = eps;
        Tensor weight;
        Tensor? layerBias;
        switch (layer)
        {
            case Linear linear:
                (weight, layerBias) = (linear.weight, linear.bias);
                layerFunction = (input, w, b) => nn.functional.linear(input, w, b);
                break;
            case Conv2d convolution:
                // Runs the once-per-process check of oneDNN's convolutions, which are wrong on some CPUs (LatentRuntime.OneDnnStatus).
                LatentRuntime.EnsureConvolutionsChecked();
                (weight, layerBias) = (convolution.weight, convolution.bias);
                layerFunction = ConvolutionFunction(convolution);
                break;
            case Convolution2d { IsTransposed: true }:
                throw new ArgumentException("spectral norm wraps a convolution, not a transposed one: its weight (in, out, k, k) has the inputs as rows", nameof(layer));
            case Convolution2d convolution:
                (weight, layerBias) = (convolution.Weight, convolution.Bias);
                layerFunction = convolution.AsFunction();
                break;
            default:
                throw new ArgumentException($"spectral norm wraps a Linear, a Conv2d or a Convolution2d; got {layer.GetType().Name}", nameof(layer));
        }

        using (var scope = NewDisposeScope())
        {
            weight_orig = (Parameter)new Parameter(weight.detach().clone()).DetachFromDisposeScope();
            if (layerBias is not null)
                bias = (Parameter)new Parameter(layerBias.detach().clone()).DetachFromDisposeScope();

            // u and v start as random unit vectors drawn from the global generator; training refines them.
            long rows = weight_orig.shape[0];
            long columns = weight_orig.numel() / rows;
            u = nn.functional.normalize(randn(rows, dtype: weight_orig.dtype, device: weight_orig.device), dim: 0, eps: eps).DetachFromDisposeScope();
            v = nn.functional.normalize(randn(columns, dtype: weight_orig.dtype, device: weight_orig.device), dim: 0, eps: eps).DetachFromDisposeScope();
        }
        layer.Dispose();
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => layerFunction(input, NormalizedWeight(update: training), bias);

    /// <summary>The weight the layer applies, W / σ, from the current u and v (no power iteration, graph kept).</summary>
    public Tensor EffectiveWeight()
    {
        using var scope = NewDisposeScope();
        return NormalizedWeight(update: false).MoveToOuterDisposeScope();
    }

    /// <summary>The convolution as a function of the weight, with the layer's geometry copied (the layer is disposed after).</summary>
    private static Func<Tensor, Tensor, Tensor?, Tensor> ConvolutionFunction(Conv2d layer)
    {
        if (layer.padding_mode != PaddingModes.Zeros)
            throw new ArgumentException($"the convolution's padding_mode is {layer.padding_mode}; spectral norm supports {PaddingModes.Zeros} only", nameof(layer));
        long[] stride = [.. layer.stride];
        long[] dilation = [.. layer.dilation];
        long groups = layer.groups;
        if (layer.padding_type is Padding paddingType)
            return (input, weight, bias) => nn.functional.conv2d_padding(input, weight, bias, stride, paddingType, dilation, groups);
        long[] padding = [.. layer.padding ?? [0, 0]];
        return (input, weight, bias) => nn.functional.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    private Tensor NormalizedWeight(bool update)
    {
        var matrix = weight_orig.reshape(weight_orig.shape[0], -1); // (out, in·k…)
        var left = u;
        var right = v;
        if (update)
        {
            using (no_grad())
            {
                for (int i = 0; i < powerIterations; i++)
                {
                    v.copy_(nn.functional.normalize(matrix.t().mv(u), dim: 0, eps: eps)); // v ← Wᵀu / ‖Wᵀu‖
                    u.copy_(nn.functional.normalize(matrix.mv(v), dim: 0, eps: eps));     // u ← Wv / ‖Wv‖
                }
            }
            // σ's graph saves u and v; the next call updates the buffers in place. Clones let D(real) and D(fake)
            // share one graph (one backward over both) without autograd seeing a modified saved tensor.
            left = u.clone();
            right = v.clone();
        }
        var sigma = left.dot(matrix.mv(right)); // σ(W) ≈ uᵀ W v, a scalar
        return weight_orig / sigma;
    }
}
