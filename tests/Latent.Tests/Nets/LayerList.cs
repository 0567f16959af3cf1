using Latent.Nets;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

/// <summary>Describes a net's leaf layers in the notation of the PyTorch DCGAN tutorial, to compare with it line by line.</summary>
internal static class LayerList
{
    /// <summary>One line per leaf layer in call order, e.g. "ConvT(100, 256, 4, 1, 0)", "BN(256)", "ReLU".</summary>
    public static string[] Of(nn.Module net) =>
        net.named_modules()
            .Select(m => m.module)
            .Where(m => m is SpectralNorm || !m.named_children().Any())
            .Select(Describe)
            .ToArray();

    private static string Describe(nn.Module layer) => layer switch
    {
        Convolution c => $"{(c.transposed ? "ConvT" : "Conv")}({c.in_channels}, {c.out_channels}, {c.kernel_size[0]}, {c.stride[0]}, {c.padding![0]}{(c.bias is null ? "" : ", bias")})",
        SpectralNorm s => $"SN({string.Join(", ", s.named_parameters().Select(p => $"{p.name} [{string.Join(", ", p.parameter.shape)}]"))})",
        BatchNorm b => $"BN({b.num_features})",
        LeakyReLU l => $"LeakyReLU({l.negative_slope})",
        Linear l => $"Linear({l.in_features}, {l.out_features}{(l.bias is null ? "" : ", bias")})",
        _ => layer.GetType().Name,
    };
}
