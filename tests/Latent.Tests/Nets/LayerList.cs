using Latent.Nets;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

/// <summary>Describes a net's leaf layers in the notation of the PyTorch DCGAN tutorial, to compare with it line by line.</summary>
internal static class LayerList
{
    /// <summary>One line per leaf layer in call order, e.g. "ConvT(100, 256, 4, 1, 0)", "BN(256)", "ReLU".</summary>
    public static string[] Of(nn.Module net) => Leaves(net).Select(Describe).ToArray();

    // Depth first through named_children (declaration order); named_modules lists every child before any grandchild.
    private static IEnumerable<nn.Module> Leaves(nn.Module module)
    {
        var children = module.named_children().Select(c => c.module).ToArray();
        if (children.Length == 0)
            return [module];
        return children.SelectMany(Leaves);
    }

    private static string Describe(nn.Module layer) => layer switch
    {
        Convolution c => $"{(c.transposed ? "ConvT" : "Conv")}({c.in_channels}, {c.out_channels}, {c.kernel_size[0]}, {c.stride[0]}, {c.padding![0]}{(c.bias is null ? "" : ", bias")})",
        Convolution2d c => $"{(c.IsTransposed ? "ConvT" : "Conv")}({c.InChannels}, {c.OutChannels}, {c.KernelSize}, {c.Stride}, {c.Padding}{(c.Bias is null ? "" : ", bias")})",
        SpectralNorm s => $"SN({string.Join(", ", s.named_parameters().Select(p => $"{p.name} [{string.Join(", ", p.parameter.shape)}]"))})",
        BatchNorm b => $"BN({b.num_features})",
        LeakyReLU l => $"LeakyReLU({l.negative_slope})",
        Linear l => $"Linear({l.in_features}, {l.out_features}{(l.bias is null ? "" : ", bias")})",
        _ => layer.GetType().Name,
    };
}
