using Latent.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Latent.Nets;

/// <summary>
/// A 2-D convolution or transposed convolution with a square kernel, holding the same parameters and state as torch.nn's
/// Conv2d and ConvTranspose2d (<c>weight</c>, <c>bias</c>, drawn the same way), that runs as one matrix product over the
/// whole batch, channels-last, where libtorch's own path would make one small product per example.
/// </summary>
/// <remarks>
/// <para>Every convolutional net of Latent is built from it. <see cref="Create"/> and <see cref="CreateTransposed"/> take
/// the arguments of <c>nn.Conv2d</c> and <c>nn.ConvTranspose2d</c> that DCGAN-style nets use: square kernel, stride,
/// zero padding, bias; no dilation, groups, output padding or other padding modes.</para>
/// <para>Where oneDNN is off (Latent turns it off on CPUs where its convolutions are wrong, see
/// <see cref="LatentRuntime.OneDnnStatus"/>), libtorch's remaining convolution is a loop of small per-example products,
/// and the layer computes itself instead as one product over the batch (Nets/OneGemmConvolution.cs); its output is then
/// stored channels-last, which the next layer reads without a copy. Where oneDNN is on, libtorch's convolution runs.
/// Both are exact to float32 rounding and differentiable twice; the choice never depends on timings, so a run's numbers
/// do not depend on the machine's load. <see cref="AllowOneGemm"/> sends every call to libtorch.</para>
/// <para>Shape: (N, in, H, W) → (N, out, H′, W′), with H′ = (H + 2·padding − k) / stride + 1 for a convolution and
/// H′ = (H − 1)·stride − 2·padding + k for a transposed one. Weight (out, in, k, k) for a convolution and (in, out, k, k)
/// for a transposed one, as in torch.nn, so checkpoints read the same keys and shapes.</para>
/// </remarks>
public sealed class Convolution2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly Geometry geometry;

    private Convolution2d(bool transposed, long inChannels, long outChannels, long kernelSize, long stride, long padding, bool bias)
        : base(transposed ? "ConvTranspose2d" : "Conv2d")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        // Runs the once-per-process check of oneDNN's convolutions, which are wrong on some CPUs (LatentRuntime.OneDnnStatus).
        LatentRuntime.EnsureConvolutionsChecked();
        geometry = new Geometry(transposed, inChannels, outChannels, kernelSize, stride, padding);

        // libtorch's own layer draws the weight and bias, so a seed gives the same parameters as nn.Conv2d or
        // nn.ConvTranspose2d would and the global generator moves by the same amount.
        using (var scope = NewDisposeScope())
        {
            nn.Module layer = transposed
                ? nn.ConvTranspose2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: bias)
                : nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: bias);
            var drawn = layer.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            // Where calls run as one GEMM, the product reads the kernel as (out, k·k·in) rows, (in, k·k·out) when
            // transposed: stored channels-last, those rows are a view, not a copy each call. Same values and shape.
            var kernel = drawn["weight"].detach();
            kernel = UsesOneGemm ? kernel.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : kernel.clone();
            this.weight = (Parameter)new Parameter(kernel).DetachFromDisposeScope();
            if (bias)
                this.bias = (Parameter)new Parameter(drawn["bias"].detach().clone()).DetachFromDisposeScope();
            layer.Dispose();
        }
        RegisterComponents();
    }

    /// <summary>
    /// Whether layers may run as one matrix product over the batch where oneDNN is off (true by default); false makes
    /// every layer call libtorch's convolution. Process-wide, like <c>torch.backends</c>' switches: set it before training.
    /// </summary>
    public static bool AllowOneGemm { get; set; } = true;

    /// <summary>A convolution: the arguments and draws of <c>nn.Conv2d(in, out, k, stride, padding, bias)</c>.</summary>
    /// <param name="inChannels">Input channels, ≥ 1.</param>
    /// <param name="outChannels">Output channels, ≥ 1.</param>
    /// <param name="kernelSize">The kernel's side, ≥ 1.</param>
    /// <param name="stride">The stride, ≥ 1.</param>
    /// <param name="padding">Zeros added on each side, ≥ 0.</param>
    /// <param name="bias">Whether the layer adds a learned bias.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size out of range, naming it.</exception>
    public static Convolution2d Create(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool bias = true) =>
        new(false, inChannels, outChannels, kernelSize, stride, padding, bias);

    /// <summary>A transposed convolution: the arguments and draws of <c>nn.ConvTranspose2d(in, out, k, stride, padding, bias)</c>.</summary>
    /// <param name="inChannels">Input channels, ≥ 1.</param>
    /// <param name="outChannels">Output channels, ≥ 1.</param>
    /// <param name="kernelSize">The kernel's side, ≥ 1.</param>
    /// <param name="stride">The stride, ≥ 1.</param>
    /// <param name="padding">Rows and columns removed from each side of the full output, ≥ 0.</param>
    /// <param name="bias">Whether the layer adds a learned bias.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size out of range, naming it.</exception>
    public static Convolution2d CreateTransposed(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool bias = true) =>
        new(true, inChannels, outChannels, kernelSize, stride, padding, bias);

    /// <summary>Whether this is a transposed convolution.</summary>
    public bool IsTransposed => geometry.Transposed;

    /// <summary>Input channels.</summary>
    public long InChannels => geometry.InChannels;

    /// <summary>Output channels.</summary>
    public long OutChannels => geometry.OutChannels;

    /// <summary>The kernel's side.</summary>
    public long KernelSize => geometry.KernelSize;

    /// <summary>The stride.</summary>
    public long Stride => geometry.Stride;

    /// <summary>The padding on each side.</summary>
    public long Padding => geometry.Padding;

    /// <summary>The kernel: (out, in, k, k), or (in, out, k, k) when transposed; stored channels-last (dimension 1 innermost) where calls run as one GEMM.</summary>
    public Parameter Weight => weight;

    /// <summary>The bias (out), or null.</summary>
    public Parameter? Bias => bias;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Apply(geometry, input, weight, bias);

    /// <summary>Whether calls run as one matrix product over the batch (else through libtorch's convolution).</summary>
    public static bool UsesOneGemm => AllowOneGemm && OneDnnCheck.TurnedOff;

    /// <summary>
    /// The layer's computation as a function of a weight and bias of the same shapes (for <see cref="SpectralNorm"/>); it
    /// holds the geometry only, so it outlives the layer.
    /// </summary>
    internal Func<Tensor, Tensor, Tensor?, Tensor> AsFunction()
    {
        var shape = geometry;
        return (input, weight, bias) => Apply(shape, input, weight, bias);
    }

    private static Tensor Apply(Geometry layer, Tensor input, Tensor weight, Tensor? bias)
    {
        long[] shape = input.shape;
        if (shape.Length != 4 || shape[1] != layer.InChannels)
            throw new ArgumentException($"input [{string.Join(", ", shape)}]; expected [N, {layer.InChannels}, H, W] for {layer}", nameof(input));
        long height = shape[2], width = shape[3];
        var (outHeight, outWidth) = layer.OutputSize(height, width);
        if (outHeight < 1 || outWidth < 1)
            throw new ArgumentException($"input [{string.Join(", ", shape)}] is too small for {layer}: the output would be {outHeight}×{outWidth}", nameof(input));
        if (UsesOneGemm)
            return layer.Transposed
                ? OneGemmConvolution.ConvTranspose2d(input, weight, bias, layer.Stride, layer.Padding)
                : OneGemmConvolution.Conv2d(input, weight, bias, layer.Stride, layer.Padding);
        return layer.Transposed
            ? F.conv_transpose2d(input, weight, bias, strides: [layer.Stride], padding: [layer.Padding])
            : F.conv2d(input, weight, bias, strides: [layer.Stride], padding: [layer.Padding]);
    }

    /// <summary>What a call needs besides the tensors.</summary>
    private readonly record struct Geometry(bool Transposed, long InChannels, long OutChannels, long KernelSize, long Stride, long Padding)
    {
        public (long Height, long Width) OutputSize(long height, long width) => Transposed
            ? ((height - 1) * Stride - 2 * Padding + KernelSize, (width - 1) * Stride - 2 * Padding + KernelSize)
            : (Positions(height), Positions(width));

        // A kernel longer than the padded side fits nowhere: 0 positions (integer division would round −1 / 2 up to 0).
        private long Positions(long side) => side + 2 * Padding < KernelSize ? 0 : (side + 2 * Padding - KernelSize) / Stride + 1;

        public override string ToString() =>
            $"{(Transposed ? "ConvTranspose2d" : "Conv2d")}({InChannels}, {OutChannels}, {KernelSize}, stride {Stride}, padding {Padding})";
    }
}
