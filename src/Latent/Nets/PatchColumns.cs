using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>
/// im2col and col2im of a whole batch stored channels-last: the k×k patches of an (N, H, W, C) map as the rows of one
/// (N·H′·W′, k·k·C) matrix, and back. Each is the other's adjoint, and each is the other's backward, so a convolution built
/// on them is differentiable as often as needed (a gradient penalty takes the gradient of a gradient).
/// </summary>
/// <remarks>
/// <para>Why channels-last: a patch's row is then k·k runs of C contiguous values, so im2col is one strided copy of the
/// batch (0.3 ms for <c>mnist-dcgan</c>'s Conv(64, 128) at batch 64, where libtorch's <c>unfold</c> of the same batch in
/// NCHW takes 5.7 ms), and the product with the weight comes out as the next layer's channels-last input.</para>
/// <para>col2im adds each of the k·k kernel offsets' columns into a strided view of the map: k·k adds. Autograd's own
/// backward of the strided copy (<c>as_strided</c>) would take 55 ms for the same layer, hence these two functions.</para>
/// <para>The map is taken already padded: the caller pads and crops.</para>
/// </remarks>
internal static class PatchColumns
{
    /// <summary>A padded channels-last map (N, Height, Width, Channels) and the k×k patches at Stride that tile it.</summary>
    internal sealed record Geometry(long Batch, long Height, long Width, long Channels, long Kernel, long Stride)
    {
        public long RowsDown => (Height - Kernel) / Stride + 1;

        public long RowsAcross => (Width - Kernel) / Stride + 1;

        /// <summary>The patches' view of a contiguous map: (N, H′, W′, k, k, C).</summary>
        public Tensor Patches(Tensor map) => map.as_strided(
            [Batch, RowsDown, RowsAcross, Kernel, Kernel, Channels],
            [Height * Width * Channels, Stride * Width * Channels, Stride * Channels, Width * Channels, Channels, 1]);

        /// <summary>The map's positions that kernel offset (i, j) reads: (N, H′, W′, C).</summary>
        public Tensor Offset(Tensor map, long i, long j) => map.as_strided(
            [Batch, RowsDown, RowsAcross, Channels],
            [Height * Width * Channels, Stride * Width * Channels, Stride * Channels, 1],
            (i * Width + j) * Channels);
    }

    /// <summary>The patches of <paramref name="map"/>, (N, H, W, C) with any strides, as (N·H′·W′, k·k·C) rows.</summary>
    internal static Tensor Im2Col(Tensor map, Geometry geometry) =>
        NeedsGraph(map) ? Gather.apply(map, geometry) : GatherRows(map, geometry);

    /// <summary>The adjoint of <see cref="Im2Col"/>: each row's k·k·C values added back where they came from, (N, H, W, C).</summary>
    internal static Tensor Col2Im(Tensor columns, Geometry geometry) =>
        NeedsGraph(columns) ? Scatter.apply(columns, geometry) : AddRows(columns, geometry);

    // Outside a graph (sampling, evaluation) the autograd node would be built for nothing.
    private static bool NeedsGraph(Tensor input) => input.requires_grad && is_grad_enabled();

    private static Tensor GatherRows(Tensor map, Geometry g) =>
        g.Patches(map.contiguous()).reshape(g.Batch * g.RowsDown * g.RowsAcross, g.Kernel * g.Kernel * g.Channels);

    private static Tensor AddRows(Tensor columns, Geometry g)
    {
        var map = zeros([g.Batch, g.Height, g.Width, g.Channels], dtype: columns.dtype, device: columns.device);
        var rows = columns.contiguous().view(g.Batch, g.RowsDown, g.RowsAcross, g.Kernel, g.Kernel, g.Channels);
        for (long i = 0; i < g.Kernel; i++)
            for (long j = 0; j < g.Kernel; j++)
                g.Offset(map, i, j).add_(rows.select(3, i).select(3, j));
        return map;
    }

    private sealed class Gather : autograd.SingleTensorFunction<Gather>
    {
        public override string Name => "PatchColumnsIm2Col";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var geometry = (Geometry)vars[1];
            ctx.save_data("geometry", geometry);
            return GatherRows((Tensor)vars[0], geometry);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradient) =>
            [Col2Im(gradient, (Geometry)ctx.get_data("geometry")), null!];
    }

    private sealed class Scatter : autograd.SingleTensorFunction<Scatter>
    {
        public override string Name => "PatchColumnsCol2Im";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var geometry = (Geometry)vars[1];
            ctx.save_data("geometry", geometry);
            return AddRows((Tensor)vars[0], geometry);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradient) =>
            [Im2Col(gradient, (Geometry)ctx.get_data("geometry")), null!];
    }
}
