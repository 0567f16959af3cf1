using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>
/// The init policy every net applies to each layer as it builds it: weights from the <see cref="Initializer"/>'s
/// normal distribution and biases 0; under DCGAN's rule BatchNorm weight N(1, 0.02²) and bias 0.
/// </summary>
/// <remarks>
/// Handles Linear, Conv2d, ConvTranspose2d, <see cref="Convolution2d"/>, BatchNorm1d and BatchNorm2d; any other layer, and every layer under
/// <see cref="Initializer.Default"/>, keeps libtorch's own init. Apply it before a <see cref="SpectralNorm"/> wrapper
/// takes the layer's weight. Draws come from libtorch's global generator.
/// </remarks>
internal static class LayerInit
{
    /// <summary>Redraws <paramref name="layer"/>'s weight and bias under <paramref name="init"/>.</summary>
    public static void Apply(nn.Module layer, Initializer init)
    {
        if (init == Initializer.Default)
            return;
        using var noGrad = no_grad();
        switch (layer)
        {
            case Linear linear:
                DrawWeight(linear.weight, linear.bias, init, transposed: false);
                break;
            case Convolution convolution:
                DrawWeight(convolution.weight, convolution.bias, init, convolution.transposed);
                break;
            case Convolution2d convolution:
                DrawWeight(convolution.Weight, convolution.Bias, init, convolution.IsTransposed);
                break;
            case BatchNorm batchNorm when init == Initializer.DcganNormal:
                nn.init.normal_(batchNorm.weight, 1, 0.02);
                if (batchNorm.bias is not null)
                    nn.init.zeros_(batchNorm.bias);
                break;
        }
    }

    /// <summary>
    /// Fan-in is the number of inputs feeding one output, in·k…, and fan-out out·k…. A Linear or Conv weight is
    /// (out, in, k…); a transposed convolution's is (in, out, k…), so its first two dimensions swap roles.
    /// </summary>
    private static void DrawWeight(Tensor weight, Tensor? bias, Initializer init, bool transposed)
    {
        long receptive = weight.numel() / (weight.shape[0] * weight.shape[1]);
        long inputs = transposed ? weight.shape[0] : weight.shape[1];
        long outputs = transposed ? weight.shape[1] : weight.shape[0];
        long fanIn = inputs * receptive;
        long fanOut = outputs * receptive;
        double std = init switch
        {
            Initializer.XavierNormal => Math.Sqrt(2.0 / (fanIn + fanOut)),
            Initializer.HeNormal => Math.Sqrt(2.0 / fanIn),
            Initializer.DcganNormal => 0.02,
            _ => throw new ArgumentOutOfRangeException(nameof(init), init, "unknown initializer"),
        };
        // Drawn with normal_ and an explicit std: TorchSharp 0.107's init.xavier_normal_ fills uniformly. libtorch draws
        // in memory order, so a weight stored in another layout (a kernel stored channels-last by Convolution2d) is
        // drawn row-major and copied in: a seed gives the values it gives torch.nn's contiguous weight.
        if (weight.is_contiguous())
        {
            nn.init.normal_(weight, 0, std);
        }
        else
        {
            using var drawn = empty(weight.shape, dtype: weight.dtype, device: weight.device).normal_(0, std);
            using (no_grad())
                weight.copy_(drawn);
        }
        if (bias is not null)
            nn.init.zeros_(bias);
    }
}
