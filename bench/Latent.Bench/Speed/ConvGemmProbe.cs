using System.Diagnostics;
using Latent.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Latent.Bench.Speed;

/// <summary>
/// <c>conv-gemm THREADS</c>: each convolution of <c>mnist-dcgan</c> (batch 64), forward and backward, through libtorch's
/// own convolution and through unfold/fold around one matrix product for the whole batch.
/// </summary>
/// <remarks>
/// Where oneDNN is off (Latent's check turns it off on machines where its convolutions are wrong), libtorch's native
/// convolution makes one im2col and one small GEMM per example, and MKL packs its operands afresh for each. Written as one
/// GEMM over the batch, the packing is paid once. This probe measures the difference layer by layer before any net
/// takes that form; both results are checked against each other first.
/// </remarks>
internal static class ConvGemmProbe
{
    private sealed record Layer(string Name, bool Transposed, long[] Input, long[] Weight, long Stride, long Padding);

    // mnist-dcgan's convolutions but the first of G (from 1×1) and the last of D (to 1×1), at batch 64 (WORKLOADS.md).
    private static readonly Layer[] Layers =
    [
        new("D Conv(1, 64) 32² → 16²", false, [64, 1, 32, 32], [64, 1, 4, 4], 2, 1),
        new("D Conv(64, 128) 16² → 8²", false, [64, 64, 16, 16], [128, 64, 4, 4], 2, 1),
        new("D Conv(128, 256) 8² → 4²", false, [64, 128, 8, 8], [256, 128, 4, 4], 2, 1),
        new("G ConvT(256, 128) 4² → 8²", true, [64, 256, 4, 4], [256, 128, 4, 4], 2, 1),
        new("G ConvT(128, 64) 8² → 16²", true, [64, 128, 8, 8], [128, 64, 4, 4], 2, 1),
        new("G ConvT(64, 1) 16² → 32²", true, [64, 64, 16, 16], [64, 1, 4, 4], 2, 1),
    ];

    public static int Run(int threads, TextWriter output)
    {
        output.WriteLine($"convolutions: {LatentRuntime.OneDnnStatus}; {threads} thread(s); ms per forward and backward, median of 7 interleaved windows of 0.5 s");
        set_num_threads(threads);
        var random = manual_seed(0);
        foreach (var layer in Layers)
        {
            var x = randn(layer.Input, generator: random).requires_grad_(true);
            var w = (randn(layer.Weight, generator: random) * 0.05).requires_grad_(true);
            Tensor Native() => layer.Transposed
                ? F.conv_transpose2d(x, w, strides: [layer.Stride], padding: [layer.Padding])
                : F.conv2d(x, w, strides: [layer.Stride], padding: [layer.Padding]);
            Tensor OneGemm() => layer.Transposed ? TransposedAsOneGemm(x, w, layer.Stride, layer.Padding) : AsOneGemm(x, w, layer.Stride, layer.Padding);
            using (NewDisposeScope())
            {
                var (a, b) = (Native(), OneGemm());
                double error = ((a - b).abs().max() / a.abs().max()).item<float>();
                if (!(error < 1e-4))
                    throw new InvalidOperationException($"{layer.Name}: the one-GEMM form is off by {error:g2} relative");
            }
            Milliseconds(Native, x, w);
            Milliseconds(OneGemm, x, w);
            var native = new List<double>();
            var gemm = new List<double>();
            var ratios = new List<double>();
            for (int round = 0; round < 7; round++)
            {
                double n = Milliseconds(Native, x, w), g = Milliseconds(OneGemm, x, w);
                native.Add(n);
                gemm.Add(g);
                ratios.Add(n / g);
            }
            native.Sort();
            gemm.Sort();
            ratios.Sort();
            output.WriteLine($"{layer.Name}: native {native[3]:F2} ms, one GEMM {gemm[3]:F2} ms; native / one GEMM {ratios[3]:F2} ({ratios[0]:F2}-{ratios[^1]:F2})");
        }
        return 0;
    }

    /// <summary>conv2d as im2col of the whole batch, then (Cout, Cin·k²) · (Cin·k², N·L).</summary>
    private static Tensor AsOneGemm(Tensor x, Tensor w, long stride, long padding)
    {
        long n = x.shape[0], outputs = w.shape[0], k = w.shape[2];
        long height = (x.shape[2] + 2 * padding - k) / stride + 1, width = (x.shape[3] + 2 * padding - k) / stride + 1;
        var columns = F.unfold(x, k, 1, padding, stride);                           // (N, Cin·k², L)
        var batch = columns.transpose(0, 1).reshape(columns.shape[1], -1);           // (Cin·k², N·L)
        return w.view(outputs, -1).mm(batch).view(outputs, n, height, width).transpose(0, 1);
    }

    /// <summary>conv_transpose2d as (Cin, Cout·k²)ᵀ · (Cin, N·H·W), then col2im (fold) of the whole batch.</summary>
    private static Tensor TransposedAsOneGemm(Tensor x, Tensor w, long stride, long padding)
    {
        long n = x.shape[0], inputs = w.shape[0], outputs = w.shape[1], k = w.shape[2];
        long height = (x.shape[2] - 1) * stride - 2 * padding + k, width = (x.shape[3] - 1) * stride - 2 * padding + k;
        var batch = x.transpose(0, 1).reshape(inputs, -1);                            // (Cin, N·H·W)
        var columns = w.view(inputs, -1).t().mm(batch).view(outputs * k * k, n, -1).transpose(0, 1); // (N, Cout·k², H·W)
        return F.fold(columns, (height, width), (k, k), (1, 1), (padding, padding), (stride, stride));
    }

    private static double Milliseconds(Func<Tensor> convolution, Tensor x, Tensor w)
    {
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (clock.Elapsed.TotalSeconds < 0.5)
        {
            using var scope = NewDisposeScope();
            x.grad?.zero_();
            w.grad?.zero_();
            var y = convolution();
            y.backward([y.detach()]);
            calls++;
        }
        return clock.Elapsed.TotalMilliseconds / calls;
    }
}
