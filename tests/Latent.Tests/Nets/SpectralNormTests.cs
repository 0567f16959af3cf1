using Latent.Nets;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

public class SpectralNormTests
{
    [Fact]
    public void LargestSingularValueOfTheEffectiveWeightConvergesToOne()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var layer = new SpectralNorm(ScaledLinear(20, 10, scale: 5));
        var x = randn(4, 20);

        for (int i = 0; i < 100; i++)
            layer.call(x);

        double sigma = linalg.svdvals(layer.EffectiveWeight())[0].item<float>();
        Assert.Equal(1.0, sigma, 1e-2);
    }

    [Fact]
    public void EvaluationModeLeavesUAndVUnchangedAndTrainingUpdatesThem()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var layer = new SpectralNorm(nn.Linear(6, 4));
        var buffers = layer.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        var u = buffers["u"].clone();
        var v = buffers["v"].clone();

        layer.eval();
        layer.call(randn(3, 6));
        Assert.True(buffers["u"].Equals(u));
        Assert.True(buffers["v"].Equals(v));

        layer.train();
        layer.call(randn(3, 6));
        Assert.False(buffers["u"].Equals(u));
        Assert.False(buffers["v"].Equals(v));
    }

    [Fact]
    public void ForwardAppliesTheEffectiveWeightAndTheBias()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var layer = new SpectralNorm(nn.Linear(5, 3));
        layer.eval();
        var bias = layer.named_parameters().Single(p => p.name == "bias").parameter;
        var x = randn(4, 5);

        var y = layer.call(x);

        var expected = x.matmul(layer.EffectiveWeight().t()) + bias;
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void GradientsReachWeightOrigAndBias()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(8);
        using var layer = new SpectralNorm(nn.Linear(5, 3));

        layer.call(randn(4, 5)).square().sum().backward();

        var parameters = layer.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(new[] { "weight_orig", "bias" }, parameters.Keys);
        foreach (var (name, parameter) in parameters)
        {
            Assert.NotNull(parameter.grad);
            Assert.True(parameter.grad!.abs().sum().item<float>() > 0, name);
        }
    }

    [Fact]
    public void RealAndFakeCallsShareOneBackward()
    {
        // Two training-mode calls update u and v in place between them; one backward over both must still work.
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(9);
        using var layer = new SpectralNorm(nn.Linear(5, 1));

        var loss = layer.call(randn(4, 5)).mean() - layer.call(randn(4, 5)).mean();
        loss.backward();

        Assert.True(layer.named_parameters().First().parameter.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void StateHoldsWeightOrigBiasAndTheSingularVectors()
    {
        LatentRuntime.EnsureLoaded();
        using var layer = new SpectralNorm(nn.Linear(6, 4));

        var state = layer.state_dict();

        Assert.Equal(new[] { "weight_orig", "bias", "u", "v" }, state.Keys);
        Assert.Equal(new long[] { 4, 6 }, state["weight_orig"].shape);
        Assert.Equal(new long[] { 4 }, state["u"].shape);
        Assert.Equal(new long[] { 6 }, state["v"].shape);
    }

    [Fact]
    public void ParametersOutliveTheDisposeScopeTheyWereBuiltIn()
    {
        LatentRuntime.EnsureLoaded();
        SpectralNorm layer;
        using (NewDisposeScope())
            layer = new SpectralNorm(nn.Linear(3, 2));

        using (layer)
        using (NewDisposeScope())
            Assert.Equal(new long[] { 5, 2 }, layer.call(randn(5, 3)).shape);
    }

    [Fact]
    public void ConversionToDoubleCarriesWeightsAndBuffers()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = new SpectralNorm(nn.Linear(3, 2));

        layer.to(ScalarType.Float64);
        var y = layer.call(randn(4, 3, dtype: ScalarType.Float64));

        Assert.Equal(ScalarType.Float64, y.dtype);
        Assert.All(layer.state_dict().Values, t => Assert.Equal(ScalarType.Float64, t.dtype));
    }

    [Fact]
    public void LargestSingularValueOfAConvolutionsEffectiveKernelConvergesToOne()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(10);
        var convolution = nn.Conv2d(3, 8, 4, stride: 2, padding: 1);
        using (no_grad())
            convolution.weight.mul_(5);
        using var layer = new SpectralNorm(convolution);
        var x = randn(2, 3, 8, 8);

        for (int i = 0; i < 100; i++)
            layer.call(x);

        // The kernel (8, 3, 4, 4) is normalized as the matrix (8, 48).
        var kernel = layer.EffectiveWeight();
        Assert.Equal(new long[] { 8, 3, 4, 4 }, kernel.shape);
        double sigma = linalg.svdvals(kernel.reshape(8, -1))[0].item<float>();
        Assert.Equal(1.0, sigma, 1e-2);
    }

    [Fact]
    public void ConvolutionKeepsStridePaddingDilationAndGroups()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var layer = new SpectralNorm(nn.Conv2d(4, 6, 3, stride: 2, padding: 2, dilation: 2, groups: 2));
        layer.eval();
        var bias = layer.named_parameters().Single(p => p.name == "bias").parameter;
        var x = randn(3, 4, 11, 11);

        var y = layer.call(x);

        var expected = nn.functional.conv2d(x, layer.EffectiveWeight(), bias, strides: [2, 2], padding: [2, 2], dilation: [2, 2], groups: 2);
        // (11 + 2·2 − 2·(3 − 1) − 1) / 2 + 1 = 6.
        Assert.Equal(new long[] { 3, 6, 6, 6 }, y.shape);
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void ConvolutionWithSamePaddingKeepsTheSize()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = new SpectralNorm(nn.Conv2d(2, 3, 3, padding: Padding.Same));

        Assert.Equal(new long[] { 1, 3, 7, 7 }, layer.call(randn(1, 2, 7, 7)).shape);
    }

    [Fact]
    public void ConvolutionPaddedByReflectionIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        var error = Assert.Throws<ArgumentException>(() => new SpectralNorm(nn.Conv2d(2, 3, 3, padding: 1, padding_mode: PaddingModes.Reflect)));
        Assert.Contains("padding_mode is Reflect", error.Message);
    }

    private static TorchSharp.Modules.Linear ScaledLinear(int inputs, int outputs, double scale)
    {
        var linear = nn.Linear(inputs, outputs);
        using (no_grad())
            linear.weight.mul_(scale);
        return linear;
    }
}
