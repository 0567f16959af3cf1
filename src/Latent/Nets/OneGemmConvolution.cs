using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Latent.Nets;

/// <summary>
/// 2-D convolutions written as one matrix product over the whole batch, channels-last: im2col of the batch
/// (<see cref="PatchColumns"/>), one product with the kernel, and for a transposed convolution col2im after it.
/// </summary>
/// <remarks>
/// <para>Why: with oneDNN off, libtorch's native convolution makes one im2col and one matrix product per example, in
/// NCHW, and MKL packs its operands afresh for each; at 2 threads the batch then runs as a string of small products that
/// each use one core. One product over the batch uses both and packs once. Stored channels-last, the batch's im2col is
/// one strided copy and the product's (N·H′·W′, out) result is already the next layer's channels-last input, so no
/// layout copy sits between layers.</para>
/// <para>Inputs are (N, C, H, W) tensors with any strides; outputs are (N, C, H, W) tensors whose memory is
/// channels-last, (N, H, W, C), which libtorch's batch norm and element-wise ops keep (and run faster on). A kernel
/// that covers the whole unpadded input, and a transposed kernel from a 1×1 input, are linear layers and computed as
/// one.</para>
/// <para>Exact to float32 rounding against libtorch's convolutions, and differentiable twice (tests/…/Convolution2dTests).
/// Measured on every layer of <c>mnist-dcgan</c> and <c>dcgan64</c> (<c>Latent.Bench conv-gemm</c>, bench/README.md).</para>
/// </remarks>
internal static class OneGemmConvolution
{
    /// <summary><c>conv2d(x, weight, bias, stride, padding)</c> for a square kernel.</summary>
    /// <param name="x">(N, in, H, W).</param>
    /// <param name="weight">(out, in, k, k).</param>
    /// <param name="bias">(out), or null.</param>
    /// <param name="stride">The stride, ≥ 1.</param>
    /// <param name="padding">Zeros added on each side, ≥ 0.</param>
    /// <returns>(N, out, H′, W′), stored channels-last.</returns>
    internal static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, long stride, long padding)
    {
        long n = x.shape[0], inputs = x.shape[1], outputs = weight.shape[0], kernel = weight.shape[2];
        var map = x.permute(0, 2, 3, 1);                                                  // (N, H, W, in)
        var kernelRows = weight.permute(0, 2, 3, 1).reshape(outputs, -1);                 // (out, k·k·in)
        if (padding == 0 && x.shape[2] == kernel && x.shape[3] == kernel)
            return F.linear(map.reshape(n, -1), kernelRows, bias).view(n, outputs, 1, 1); // the kernel covers the map

        if (padding > 0)
            map = F.pad(map, [0, 0, padding, padding, padding, padding]);                 // (N, H + 2p, W + 2p, in)
        var geometry = new PatchColumns.Geometry(n, map.shape[1], map.shape[2], inputs, kernel, stride);
        var columns = PatchColumns.Im2Col(map, geometry);                                 // (N·H′·W′, k·k·in)
        var product = bias is null ? columns.mm(kernelRows.t()) : bias.addmm(columns, kernelRows.t()); // (N·H′·W′, out)
        return product.view(n, geometry.RowsDown, geometry.RowsAcross, outputs).permute(0, 3, 1, 2);
    }

    /// <summary><c>conv_transpose2d(x, weight, bias, stride, padding)</c> for a square kernel and no output padding.</summary>
    /// <param name="x">(N, in, H, W).</param>
    /// <param name="weight">(in, out, k, k).</param>
    /// <param name="bias">(out), or null.</param>
    /// <param name="stride">The stride, ≥ 1.</param>
    /// <param name="padding">Rows and columns removed from each side of the full output, ≥ 0.</param>
    /// <returns>(N, out, H′, W′), H′ = (H − 1)·stride − 2·padding + k, stored channels-last.</returns>
    internal static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias, long stride, long padding)
    {
        long n = x.shape[0], inputs = weight.shape[0], outputs = weight.shape[1], kernel = weight.shape[2];
        long height = x.shape[2], width = x.shape[3];
        var kernelColumns = weight.permute(0, 2, 3, 1).reshape(inputs, -1);                // (in, k·k·out)
        var rows = x.permute(0, 2, 3, 1).reshape(n * height * width, inputs);              // (N·H·W, in)
        if (padding == 0 && height == 1 && width == 1)
        {
            var linear = bias is null ? rows.mm(kernelColumns) : bias.repeat(kernel * kernel).addmm(rows, kernelColumns);
            return linear.view(n, kernel, kernel, outputs).permute(0, 3, 1, 2);           // from 1×1: a linear layer
        }

        // Each input position's k·k·out values are added into its k×k patch of the full output, which is then cropped.
        var geometry = new PatchColumns.Geometry(n, (height - 1) * stride + kernel, (width - 1) * stride + kernel, outputs, kernel, stride);
        var full = PatchColumns.Col2Im(rows.mm(kernelColumns), geometry);                 // (N, H′ + 2p, W′ + 2p, out)
        var map = padding == 0
            ? full
            : full.narrow(1, padding, geometry.Height - 2 * padding).narrow(2, padding, geometry.Width - 2 * padding);
        if (bias is not null)
            map = map + bias;
        else if (padding > 0)
            map = map.contiguous();                                                        // the crop, stored densely
        return map.permute(0, 3, 1, 2);
    }
}
