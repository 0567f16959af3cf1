using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Latent.Nets;

/// <summary>
/// 2-D convolutions written as one matrix product over the whole batch, from differentiable ops (unfold, mm, fold), so
/// autograd differentiates them as often as needed (gradient penalties take the gradient of a gradient).
/// </summary>
/// <remarks>
/// <para>Why: with oneDNN off, libtorch's native convolution makes one im2col and one matrix product per example, and MKL
/// packs its operands afresh for each. Where one side of that per-example product is thin (a 4×4 map has 16 positions;
/// one channel under a 4×4 kernel gives 1·4² = 16 rows or columns), the product is mostly packing and the batch runs as
/// a string of small calls. One product over the batch pays the packing once. Where every side is wide, libtorch's per-example loop, which
/// keeps its im2col in cache, is as fast or faster: <see cref="IsThin"/> is the rule, from the shapes alone.</para>
/// <para>Measured on every layer of <c>mnist-dcgan</c> and <c>dcgan64</c> at 1 and 2 threads (<c>Latent.Bench conv-gemm</c>,
/// bench/README.md).</para>
/// </remarks>
internal static class OneGemmConvolution
{
    /// <summary>A per-example product with a side at most this long is thin.</summary>
    internal const long ThinSide = 16;

    /// <summary>
    /// Whether the per-example matrix product libtorch's native path makes has a side of at most <see cref="ThinSide"/>:
    /// for a convolution (out) × (in·k²) · (in·k²) × (output positions), for a transposed one (out·k²) × (in) · (in) ×
    /// (input positions).
    /// </summary>
    internal static bool IsThin(bool transposed, long inChannels, long outChannels, long kernel, long inputPositions, long outputPositions)
    {
        long rows = transposed ? outChannels * kernel * kernel : outChannels;
        long depth = transposed ? inChannels : inChannels * kernel * kernel;
        long columns = transposed ? inputPositions : outputPositions;
        return Math.Min(rows, Math.Min(depth, columns)) <= ThinSide;
    }

    /// <summary>
    /// <c>conv2d(x, weight, bias, stride, padding)</c> for a square kernel: im2col of the whole batch, then
    /// (out, in·k²) · (in·k², N·L). A kernel that covers the whole unpadded input is a linear layer and is computed as one.
    /// </summary>
    /// <param name="x">(N, in, H, W).</param>
    /// <param name="weight">(out, in, k, k).</param>
    /// <param name="bias">(out), or null.</param>
    /// <param name="stride">The stride, ≥ 1.</param>
    /// <param name="padding">Zeros added on each side, ≥ 0.</param>
    /// <returns>(N, out, H′, W′); not contiguous in general (its memory is (out, N, H′, W′)).</returns>
    internal static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, long stride, long padding)
    {
        long n = x.shape[0], outputs = weight.shape[0], kernel = weight.shape[2];
        long height = (x.shape[2] + 2 * padding - kernel) / stride + 1;
        long width = (x.shape[3] + 2 * padding - kernel) / stride + 1;
        if (padding == 0 && x.shape[2] == kernel && x.shape[3] == kernel)
            return F.linear(x.flatten(1), weight.flatten(1), bias).view(n, outputs, 1, 1);

        var columns = F.unfold(x, kernel, 1, padding, stride);                      // (N, in·k², L)
        var batch = columns.transpose(0, 1).reshape(columns.shape[1], -1);          // (in·k², N·L)
        var matrix = weight.view(outputs, -1);                                       // (out, in·k²)
        var product = bias is null ? matrix.mm(batch) : bias.unsqueeze(1).addmm(matrix, batch); // (out, N·L)
        return product.view(outputs, n, height, width).transpose(0, 1);             // (N, out, H′, W′)
    }

    /// <summary>
    /// <c>conv_transpose2d(x, weight, bias, stride, padding)</c> for a square kernel and no output padding:
    /// (in, out·k²)ᵀ · (in, N·H·W), then col2im (fold) of the whole batch. From a 1×1 input without padding it is a
    /// linear layer and is computed as one.
    /// </summary>
    /// <param name="x">(N, in, H, W).</param>
    /// <param name="weight">(in, out, k, k).</param>
    /// <param name="bias">(out), or null.</param>
    /// <param name="stride">The stride, ≥ 1.</param>
    /// <param name="padding">Rows and columns removed from each side of the full output, ≥ 0.</param>
    /// <returns>(N, out, H′, W′), H′ = (H − 1)·stride − 2·padding + k.</returns>
    internal static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias, long stride, long padding)
    {
        long n = x.shape[0], inputs = weight.shape[0], outputs = weight.shape[1], kernel = weight.shape[2];
        Tensor result;
        if (padding == 0 && x.shape[2] == 1 && x.shape[3] == 1)
        {
            result = x.flatten(1).mm(weight.view(inputs, -1)).view(n, outputs, kernel, kernel); // (N, out, k, k)
        }
        else
        {
            long height = (x.shape[2] - 1) * stride - 2 * padding + kernel;
            long width = (x.shape[3] - 1) * stride - 2 * padding + kernel;
            var batch = x.transpose(0, 1).reshape(inputs, -1);                       // (in, N·H·W)
            var columns = weight.view(inputs, -1).t().mm(batch)                      // (out·k², N·H·W)
                .view(outputs * kernel * kernel, n, -1).transpose(0, 1);             // (N, out·k², H·W)
            result = F.fold(columns, (height, width), (kernel, kernel), (1, 1), (padding, padding), (stride, stride));
        }
        return bias is null ? result : result + bias.view(1, -1, 1, 1);
    }
}
