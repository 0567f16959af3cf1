using System.Diagnostics;
using Latent.Nets;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Bench.Speed;

/// <summary>
/// <c>conv-gemm THREADS</c>: each convolution of <c>mnist-dcgan</c> (batch 64) and <c>dcgan64</c> (batch 16), forward and
/// backward, as Latent's <see cref="Convolution2d"/> layer with one GEMM allowed and with every call sent to libtorch.
/// </summary>
/// <remarks>
/// Where oneDNN is off (Latent's check turns it off on machines where its convolutions are wrong), libtorch's native
/// convolution makes one im2col and one small GEMM per example, and MKL packs its operands afresh for each; Latent's
/// layer runs as one channels-last GEMM over the batch instead. This probe times every layer both ways, each fed the
/// layout its own previous layer would give it: channels-last after a one-GEMM layer, NCHW after libtorch's, NCHW for
/// the first layer of each net (the latent code, the images). Where oneDNN is on, both ways are libtorch's.
/// </remarks>
internal static class ConvGemmProbe
{
    private sealed record Layer(string Name, bool Transposed, long Batch, long InChannels, long OutChannels, long Side, long Kernel, long Stride, long Padding);

    // The convolutions of mnist-dcgan and dcgan64 (WORKLOADS.md), in the order the nets call them.
    private static readonly Layer[] Layers =
    [
        new("mnist-dcgan G ConvT(100, 256) 1² → 4²", true, 64, 100, 256, 1, 4, 1, 0),
        new("mnist-dcgan G ConvT(256, 128) 4² → 8²", true, 64, 256, 128, 4, 4, 2, 1),
        new("mnist-dcgan G ConvT(128, 64) 8² → 16²", true, 64, 128, 64, 8, 4, 2, 1),
        new("mnist-dcgan G ConvT(64, 1) 16² → 32²", true, 64, 64, 1, 16, 4, 2, 1),
        new("mnist-dcgan D Conv(1, 64) 32² → 16²", false, 64, 1, 64, 32, 4, 2, 1),
        new("mnist-dcgan D Conv(64, 128) 16² → 8²", false, 64, 64, 128, 16, 4, 2, 1),
        new("mnist-dcgan D Conv(128, 256) 8² → 4²", false, 64, 128, 256, 8, 4, 2, 1),
        new("mnist-dcgan D Conv(256, 1) 4² → 1²", false, 64, 256, 1, 4, 4, 1, 0),
        new("dcgan64 G ConvT(100, 512) 1² → 4²", true, 16, 100, 512, 1, 4, 1, 0),
        new("dcgan64 G ConvT(512, 256) 4² → 8²", true, 16, 512, 256, 4, 4, 2, 1),
        new("dcgan64 G ConvT(256, 128) 8² → 16²", true, 16, 256, 128, 8, 4, 2, 1),
        new("dcgan64 G ConvT(128, 64) 16² → 32²", true, 16, 128, 64, 16, 4, 2, 1),
        new("dcgan64 G ConvT(64, 3) 32² → 64²", true, 16, 64, 3, 32, 4, 2, 1),
        new("dcgan64 D Conv(3, 64) 64² → 32²", false, 16, 3, 64, 64, 4, 2, 1),
        new("dcgan64 D Conv(64, 128) 32² → 16²", false, 16, 64, 128, 32, 4, 2, 1),
        new("dcgan64 D Conv(128, 256) 16² → 8²", false, 16, 128, 256, 16, 4, 2, 1),
        new("dcgan64 D Conv(256, 512) 8² → 4²", false, 16, 256, 512, 8, 4, 2, 1),
        new("dcgan64 D Conv(512, 1) 4² → 1²", false, 16, 512, 1, 4, 4, 1, 0),
    ];

    public static int Run(int threads, TextWriter output)
    {
        output.WriteLine($"convolutions: {LatentRuntime.OneDnnStatus}; {threads} thread(s); ms per forward and backward, median of 7 interleaved windows of 0.5 s");
        set_num_threads(threads);
        manual_seed(0);
        double libtorchTotal = 0, latentTotal = 0;
        try
        {
            foreach (var layer in Layers)
            {
                // Each way gets a layer built under its own setting: one GEMM stores the kernel channels-last.
                Convolution2d Build(bool allow)
                {
                    Convolution2d.AllowOneGemm = allow;
                    return layer.Transposed
                        ? Convolution2d.CreateTransposed(layer.InChannels, layer.OutChannels, layer.Kernel, layer.Stride, layer.Padding, bias: false)
                        : Convolution2d.Create(layer.InChannels, layer.OutChannels, layer.Kernel, layer.Stride, layer.Padding, bias: false);
                }
                using var native = Build(false);
                using var latent = Build(true);
                var x = randn(layer.Batch, layer.InChannels, layer.Side, layer.Side).requires_grad_(true);
                bool firstOfNet = layer.Transposed ? layer.Side == 1 : layer.InChannels <= 3;
                var channelsLast = firstOfNet ? x : x.detach().permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2).requires_grad_(true);
                bool oneGemm = Convolution2d.UsesOneGemm; // Build(true) left one GEMM allowed
                double Time(bool allow)
                {
                    Convolution2d.AllowOneGemm = allow;
                    return allow ? Milliseconds(latent, oneGemm ? channelsLast : x) : Milliseconds(native, x);
                }
                Time(false);
                Time(true);
                var libtorch = new List<double>();
                var allowed = new List<double>();
                var ratios = new List<double>();
                for (int round = 0; round < 7; round++)
                {
                    double l = Time(false), g = Time(true);
                    libtorch.Add(l);
                    allowed.Add(g);
                    ratios.Add(l / g);
                }
                double libtorchMedian = Stats.Median(libtorch), latentMedian = Stats.Median(allowed);
                libtorchTotal += libtorchMedian;
                latentTotal += latentMedian;
                output.WriteLine($"{layer.Name}: {(oneGemm ? "one GEMM" : "libtorch")}; libtorch {libtorchMedian:F2} ms, allowed {latentMedian:F2} ms; libtorch / allowed {Stats.Median(ratios):F2} ({ratios.Min():F2}-{ratios.Max():F2})");
            }
        }
        finally
        {
            Convolution2d.AllowOneGemm = true;
        }
        output.WriteLine($"sum of medians: libtorch {libtorchTotal:F1} ms, allowed {latentTotal:F1} ms");
        return 0;
    }

    private static double Milliseconds(Convolution2d convolution, Tensor x)
    {
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (clock.Elapsed.TotalSeconds < 0.5)
        {
            using var scope = NewDisposeScope();
            x.grad?.zero_();
            convolution.zero_grad();
            var y = convolution.call(x);
            y.backward([y.detach()]);
            calls++;
        }
        return clock.Elapsed.TotalMilliseconds / calls;
    }
}
