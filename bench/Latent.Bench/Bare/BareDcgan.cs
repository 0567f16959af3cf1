using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Latent.Bench.Bare;

/// <summary>
/// The DCGANs of WORKLOADS.md as a plain loop: <c>mnist-dcgan</c> (1x32x32, MNIST padded to 32, batch 64) and
/// <c>dcgan64</c> (3x64x64 random images, batch 16); ngf = ndf = 64, BN, no conv biases, init N(0, 0.02) and BN
/// weight N(1, 0.02); non-saturating loss; Adam 2e-4 (0.5, 0.999).
/// </summary>
internal sealed class BareDcgan : IBareLoop
{
    private readonly Sequential _generator, _discriminator;
    private readonly optim.Optimizer _generatorOptimizer, _discriminatorOptimizer;
    private readonly Tensor _images;
    private readonly ShuffledBatches _batches;
    private readonly int _batch;
    private readonly bool _channelsLast;

    public BareDcgan(string workload, long seed, bool channelsLast = false)
    {
        manual_seed(seed);
        _channelsLast = channelsLast;
        bool mnist = workload == "mnist-dcgan";
        _batch = mnist ? 64 : 16;
        int channels = mnist ? 1 : 3;
        _images = mnist
            ? functional.pad(MnistTensor.TrainImages(), [2, 2, 2, 2]).mul_(2).sub_(1) // (60000, 1, 32, 32) in [-1, 1]
            : rand(1024, 3, 64, 64).mul_(2).sub_(1);
        _batches = new ShuffledBatches(_images.shape[0], _batch);

        // Widths from the image side: 64, 128, 256 (, 512 at 64 px).
        int[] widths = mnist ? [64, 128, 256] : [64, 128, 256, 512];
        var g = new List<Module<Tensor, Tensor>> { ConvTranspose2d(100, widths[^1], 4, 1, 0, bias: false), BatchNorm2d(widths[^1]), ReLU() };
        for (int i = widths.Length - 1; i > 0; i--)
            g.AddRange([ConvTranspose2d(widths[i], widths[i - 1], 4, 2, 1, bias: false), BatchNorm2d(widths[i - 1]), ReLU()]);
        g.AddRange([ConvTranspose2d(widths[0], channels, 4, 2, 1, bias: false), Tanh()]);
        _generator = Sequential(g);

        var d = new List<Module<Tensor, Tensor>> { Conv2d(channels, widths[0], 4, 2, 1, bias: false), LeakyReLU(0.2) };
        for (int i = 1; i < widths.Length; i++)
            d.AddRange([Conv2d(widths[i - 1], widths[i], 4, 2, 1, bias: false), BatchNorm2d(widths[i]), LeakyReLU(0.2)]);
        d.Add(Conv2d(widths[^1], 1, 4, 1, 0, bias: false));
        _discriminator = Sequential(d);

        using (no_grad())
        {
            foreach (var module in _generator.modules().Concat(_discriminator.modules()))
            {
                if (module is TorchSharp.Modules.Conv2d or TorchSharp.Modules.ConvTranspose2d)
                    init.normal_(((Module)module).get_parameter("weight"), 0, 0.02);
                else if (module is BatchNorm2d norm)
                {
                    init.normal_(norm.weight!, 1, 0.02);
                    init.zeros_(norm.bias!);
                }
            }
        }
        _generatorOptimizer = optim.Adam(_generator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        _discriminatorOptimizer = optim.Adam(_discriminator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
    }

    private Tensor Noise() => _channelsLast
        ? ChannelsLast(randn(_batch, 100, 1, 1))
        : randn(_batch, 100, 1, 1);

    /// <summary>The same (N, C, H, W) tensor stored channels-last (NHWC strides); TorchSharp 0.107 has no memory_format argument.</summary>
    private static Tensor ChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    public void Step()
    {
        var real = _images[_batches.Next()];
        if (_channelsLast)
            real = ChannelsLast(real);
        Tensor fake;
        using (no_grad())
            fake = _generator.call(Noise());
        var loss = functional.softplus(-_discriminator.call(real)).mean() + functional.softplus(_discriminator.call(fake)).mean();
        _discriminatorOptimizer.zero_grad();
        loss.backward();
        _discriminatorOptimizer.step();

        var generatorLoss = functional.softplus(-_discriminator.call(_generator.call(Noise()))).mean();
        _generatorOptimizer.zero_grad();
        generatorLoss.backward();
        _generatorOptimizer.step();
    }

    public void Dispose()
    {
        _generatorOptimizer.Dispose();
        _discriminatorOptimizer.Dispose();
        _generator.Dispose();
        _discriminator.Dispose();
        _images.Dispose();
    }
}
