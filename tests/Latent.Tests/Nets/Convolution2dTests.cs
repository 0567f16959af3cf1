using Latent.Nets;
using Latent.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Latent.Tests.Nets;

[Collection(ProcessSwitchesCollection.Name)]
public class Convolution2dTests
{
    // transposed, in, out, kernel, stride, padding, side, bias: the shapes of DCGAN nets, both linear forms, and odd ones.
    public static TheoryData<bool, long, long, long, long, long, long, bool> Shapes => new()
    {
        { false, 16, 24, 4, 2, 1, 8, true },  // wide on every side, halving the map
        { true, 24, 16, 4, 2, 1, 4, false },  // wide on every side, doubling the map
        { false, 1, 8, 4, 2, 1, 16, false },  // one input channel: depth 1·4² = 16
        { false, 8, 16, 4, 2, 1, 8, true },   // down to 4×4: 16 output positions
        { false, 16, 1, 4, 1, 0, 4, false },  // a head whose kernel covers the map: a linear layer
        { false, 3, 5, 3, 1, 1, 7, true },    // odd kernel and side, stride 1
        { false, 2, 4, 3, 2, 0, 6, false },   // a stride that leaves the last row and column unused
        { true, 16, 8, 4, 1, 0, 1, true },    // from 1×1: a linear layer
        { true, 16, 8, 4, 2, 1, 4, false },   // 4×4 up to 8×8
        { true, 8, 1, 4, 2, 1, 8, true },     // to one output channel
        { true, 4, 6, 3, 2, 0, 5, true },     // odd kernel, overlapping windows
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void OneGemmMatchesLibtorchInValueAndGradients(bool transposed, long inputs, long outputs, long kernel, long stride, long padding, long side, bool withBias)
    {
        // float64, so any difference beyond rounding is a wrong index, not a summation order.
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var random = manual_seed(3);
        var (x, weight, bias) = Operands(random, transposed, inputs, outputs, kernel, side, withBias);
        var upstream = randn(Reference(transposed, x, weight, bias, stride, padding).shape, dtype: float64, generator: random);

        var (expected, expectedGradients) = ValueAndGradients(() => Reference(transposed, x, weight, bias, stride, padding), upstream, x, weight, bias);
        var (actual, actualGradients) = ValueAndGradients(() => OneGemm(transposed, x, weight, bias, stride, padding), upstream, x, weight, bias);

        Assert.Equal(expected.shape, actual.shape);
        AssertClose(expected, actual, "output");
        for (int i = 0; i < expectedGradients.Length; i++)
            AssertClose(expectedGradients[i], actualGradients[i], i == 0 ? "input gradient" : i == 1 ? "weight gradient" : "bias gradient");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void OneGemmMatchesLibtorchInTheGradientOfAGradient(bool transposed, long inputs, long outputs, long kernel, long stride, long padding, long side, bool withBias)
    {
        // A gradient penalty differentiates ‖∂score/∂x‖² with respect to the weights: the backward pass is differentiated too.
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var (x, weight, bias) = Operands(manual_seed(4), transposed, inputs, outputs, kernel, side, withBias);

        Tensor PenaltyGradient(Func<Tensor, Tensor, Tensor> convolution)
        {
            var input = x.detach().clone().requires_grad_(true);
            var w = weight.detach().clone().requires_grad_(true);
            var scores = convolution(input, w).tanh().sum();
            var gradient = autograd.grad([scores], [input], create_graph: true, retain_graph: true)[0];
            return autograd.grad([gradient.square().sum()], [w])[0];
        }

        var expected = PenaltyGradient((input, w) => Reference(transposed, input, w, bias, stride, padding));
        var actual = PenaltyGradient((input, w) => OneGemm(transposed, input, w, bias, stride, padding));
        AssertClose(expected, actual, "weight gradient of the input-gradient penalty");
    }

    [Fact]
    public void LayersHoldTorchNnsParametersDrawnTheSameWay()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var convolution = Convolution2d.Create(3, 8, 4, stride: 2, padding: 1);
        using var transposed = Convolution2d.CreateTransposed(8, 3, 4, stride: 2, padding: 1, bias: false);
        var afterLatent = randn(4);
        manual_seed(5);
        using var torchConvolution = nn.Conv2d(3, 8, 4, stride: 2, padding: 1);
        using var torchTransposed = nn.ConvTranspose2d(8, 3, 4, stride: 2, padding: 1, bias: false);
        var afterTorch = randn(4);

        var parameters = convolution.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(["weight", "bias"], parameters.Keys);
        Assert.True(parameters["weight"].Equals(torchConvolution.weight!));
        Assert.True(parameters["bias"].Equals(torchConvolution.bias!));
        var transposedParameters = transposed.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(["weight"], transposedParameters.Keys);
        Assert.Equal(new long[] { 8, 3, 4, 4 }, transposedParameters["weight"].shape);
        Assert.True(transposedParameters["weight"].Equals(torchTransposed.weight!));
        // The global generator moved by as much as torch.nn's layers move it.
        Assert.True(afterLatent.Equals(afterTorch));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OneGemmReadsEitherLayoutAndStoresItsOutputChannelsLast(bool transposed)
    {
        // Outside a graph (no input needs a gradient) the patches are copied directly, without the autograd functions.
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var (x, weight, bias) = Operands(manual_seed(8), transposed, 6, 5, 4, 6, withBias: true);
        var channelsLast = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

        var fromNchw = OneGemm(transposed, x, weight, bias, 2, 1);
        var fromChannelsLast = OneGemm(transposed, channelsLast, weight, bias, 2, 1);

        AssertClose(Reference(transposed, x, weight, bias, 2, 1), fromNchw, "output");
        Assert.True(fromNchw.Equals(fromChannelsLast));
        Assert.True(fromNchw.permute(0, 2, 3, 1).is_contiguous(), "the output's memory is (N, H, W, C)");
    }

    [Fact]
    public void TheSwitchSendsEveryLayerToLibtorchAndBothPathsAgree()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var layer = Convolution2d.Create(8, 16, 4, stride: 2, padding: 1);
        var x = randn(5, 8, 8, 8);
        var expected = F.conv2d(x, layer.Weight, layer.Bias, strides: [2], padding: [1]);
        try
        {
            Convolution2d.AllowOneGemm = true;
            // Built with one GEMM allowed, the kernel is stored channels-last where calls run as one GEMM.
            Assert.Equal(Convolution2d.UsesOneGemm, layer.Weight.permute(0, 2, 3, 1).is_contiguous());
            // One GEMM only where libtorch's convolutions are its native ones (oneDNN turned off by Latent's check).
            Assert.Equal(OneDnnCheck.TurnedOff, Convolution2d.UsesOneGemm);
            Assert.True(layer.call(x).allclose(expected, rtol: 1e-5, atol: 1e-5));

            Convolution2d.AllowOneGemm = false;
            Assert.False(Convolution2d.UsesOneGemm);
            Assert.True(layer.call(x).Equals(expected));
        }
        finally
        {
            Convolution2d.AllowOneGemm = true;
        }
    }

    [Fact]
    public void AnInputOfTheWrongShapeIsRefusedNamingWhatWasExpected()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = Convolution2d.Create(3, 8, 4, stride: 2, padding: 1);

        var channels = Assert.Throws<ArgumentException>(() => layer.call(zeros(2, 1, 8, 8)));
        Assert.Contains("input [2, 1, 8, 8]; expected [N, 3, H, W] for Conv2d(3, 8, 4, stride 2, padding 1)", channels.Message);
        var flat = Assert.Throws<ArgumentException>(() => layer.call(zeros(2, 192)));
        Assert.Contains("expected [N, 3, H, W]", flat.Message);
        // (1 + 2·1 − 4) / 2 + 1: the kernel does not fit the padded 1×1 map.
        var small = Assert.Throws<ArgumentException>(() => layer.call(zeros(2, 3, 1, 1)));
        Assert.Contains("too small for Conv2d(3, 8, 4, stride 2, padding 1): the output would be 0×0", small.Message);
    }

    [Fact]
    public void ImpossibleSizesAreRefusedNamingTheArgument()
    {
        LatentRuntime.EnsureLoaded();
        Assert.Equal("inChannels", Assert.Throws<ArgumentOutOfRangeException>(() => Convolution2d.Create(0, 8, 4)).ParamName);
        Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => Convolution2d.CreateTransposed(3, 8, 4, stride: 0)).ParamName);
        Assert.Equal("padding", Assert.Throws<ArgumentOutOfRangeException>(() => Convolution2d.Create(3, 8, 4, padding: -1)).ParamName);
    }

    [Fact]
    public void SpectralNormComputesTheWrappedLayerWithTheNormalizedKernel()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var layer = new SpectralNorm(Convolution2d.Create(8, 16, 4, stride: 2, padding: 1));
        layer.eval();
        var bias = layer.named_parameters().Single(p => p.name == "bias").parameter;
        var x = randn(5, 8, 8, 8);

        var expected = F.conv2d(x, layer.EffectiveWeight(), bias, strides: [2], padding: [1]);

        Assert.True(layer.call(x).allclose(expected, rtol: 1e-5, atol: 1e-5));
        var refused = Assert.Throws<ArgumentException>(() => new SpectralNorm(Convolution2d.CreateTransposed(8, 16, 4)));
        Assert.Contains("not a transposed one", refused.Message);
    }

    /// <summary>A batch of 3 inputs, a kernel laid out as torch.nn's and maybe a bias, all float64.</summary>
    private static (Tensor X, Tensor Weight, Tensor? Bias) Operands(Generator random, bool transposed, long inputs, long outputs, long kernel, long side, bool withBias) =>
        (randn([3, inputs, side, side], dtype: float64, generator: random),
         randn(transposed ? [inputs, outputs, kernel, kernel] : [outputs, inputs, kernel, kernel], dtype: float64, generator: random),
         withBias ? randn([outputs], dtype: float64, generator: random) : null);

    private static Tensor Reference(bool transposed, Tensor x, Tensor weight, Tensor? bias, long stride, long padding) => transposed
        ? F.conv_transpose2d(x, weight, bias, strides: [stride], padding: [padding])
        : F.conv2d(x, weight, bias, strides: [stride], padding: [padding]);

    private static Tensor OneGemm(bool transposed, Tensor x, Tensor weight, Tensor? bias, long stride, long padding) => transposed
        ? OneGemmConvolution.ConvTranspose2d(x, weight, bias, stride, padding)
        : OneGemmConvolution.Conv2d(x, weight, bias, stride, padding);

    private static (Tensor Value, Tensor[] Gradients) ValueAndGradients(Func<Tensor> convolution, Tensor upstream, Tensor x, Tensor weight, Tensor? bias)
    {
        Tensor[] leaves = bias is null ? [x, weight] : [x, weight, bias];
        foreach (var leaf in leaves)
        {
            leaf.requires_grad_(true);
            leaf.grad?.zero_();
        }
        var value = convolution();
        value.backward([upstream]);
        var gradients = leaves.Select(leaf => leaf.grad!.clone()).ToArray();
        foreach (var leaf in leaves)
            leaf.requires_grad_(false);
        return (value.detach(), gradients);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        double error = (expected - actual).abs().max().item<double>() / Math.Max(expected.abs().max().item<double>(), 1e-30);
        Assert.True(error < 1e-10, $"{what}: relative error {error:g3}");
    }
}
