namespace Latent.Bench.Speed;

/// <summary>
/// Floating-point operations of one training step of each workload, counted from its architecture: a multiply-add
/// is 2 FLOPs; a backward pass costs twice its forward (gradients of inputs and of weights); a gradient penalty
/// (WGAN-GP) or R1 pass costs 7 forwards (forward, gradient, and the backward through that gradient). Elementwise
/// ops, batch norm and the optimizer are not counted, so the figure is a lower bound on the work done.
/// </summary>
internal static class Flops
{
    private const double Backward = 2, PenaltyPass = 7;

    /// <summary>Multiply-adds of one example through an MLP of these widths.</summary>
    public static double Mlp(params int[] widths)
    {
        double macs = 0;
        for (int i = 0; i + 1 < widths.Length; i++)
            macs += (double)widths[i] * widths[i + 1];
        return macs;
    }

    /// <summary>Multiply-adds of one latent code through a DCGAN generator: ConvT(latent, W·2^(d−1), 4, 1, 0), then stride-2 4x4 transposed convs doubling the size.</summary>
    public static double DcganGenerator(int latent, int[] widths, int channels)
    {
        // A transposed conv scatters each input pixel through k·k·Cout weights: Cin·Cout·k²·Hin·Win multiply-adds.
        double macs = latent * widths[^1] * 16.0;
        int size = 4;
        for (int i = widths.Length - 1; i > 0; i--, size *= 2)
            macs += (double)widths[i] * widths[i - 1] * 16 * size * size;
        macs += (double)widths[0] * channels * 16 * size * size;
        return macs;
    }

    /// <summary>Multiply-adds of one image through the mirrored DCGAN discriminator.</summary>
    public static double DcganDiscriminator(int channels, int[] widths, int imageSize)
    {
        // A conv computes Cout·Cin·k² multiply-adds per output pixel.
        int size = imageSize / 2;
        double macs = (double)widths[0] * channels * 16 * size * size;
        for (int i = 1; i < widths.Length; i++)
        {
            size /= 2;
            macs += (double)widths[i] * widths[i - 1] * 16 * size * size;
        }
        return macs + widths[^1] * 16.0;
    }

    /// <summary>
    /// FLOPs of one GAN step: per critic update a generator forward and critic forward+backward on real and fake
    /// (plus the penalty pass), then generator and critic forward+backward for the generator update.
    /// </summary>
    public static double GanStep(int batch, double generatorMacs, double criticMacs, int criticSteps = 1, bool penalty = false)
    {
        double critic = generatorMacs + 2 * (1 + Backward) * criticMacs + (penalty ? PenaltyPass * criticMacs : 0);
        double generator = (1 + Backward) * (generatorMacs + criticMacs);
        return 2 * batch * (criticSteps * critic + generator);
    }

    /// <summary>FLOPs of one autoencoder or VAE step: encoder and decoder forward+backward.</summary>
    public static double AutoencoderStep(int batch, double encoderMacs, double decoderMacs) =>
        2 * batch * (1 + Backward) * (encoderMacs + decoderMacs);

    /// <summary>FLOPs per step of a workload of WORKLOADS.md.</summary>
    public static double PerStep(string workload) => workload switch
    {
        "gan8g" => GanStep(256, Mlp(2, 128, 2), Mlp(2, 128, 1)),
        "wgan8g" => GanStep(256, Mlp(2, 128, 2), Mlp(2, 128, 1), criticSteps: 5),
        "wgangp8g" => GanStep(256, Mlp(2, 128, 2), Mlp(2, 128, 1), criticSteps: 5, penalty: true),
        "gan1d" => GanStep(256, Mlp(1, 64, 1), Mlp(1, 64) + Mlp(65, 1), penalty: true), // R1 counted as a penalty pass on the real batch
        "ae2d" => AutoencoderStep(200, Mlp(2, 4, 1), Mlp(1, 4, 2)),
        "vae2d" => AutoencoderStep(300, Mlp(2, 16, 4), Mlp(2, 16, 2)),
        "mnist-gan-mlp" => GanStep(64, Mlp(100, 256, 512, 784), Mlp(784, 512, 256, 1)),
        "mnist-vae-mlp" => AutoencoderStep(128, Mlp(784, 400, 40), Mlp(20, 400, 784)),
        "mnist-dcgan" => GanStep(64, DcganGenerator(100, [64, 128, 256], 1), DcganDiscriminator(1, [64, 128, 256], 32)),
        "dcgan64" => GanStep(16, DcganGenerator(100, [64, 128, 256, 512], 3), DcganDiscriminator(3, [64, 128, 256, 512], 64)),
        _ => double.NaN,
    };
}
