using Latent.Nets;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

public class MlpTests
{
    [Fact]
    public void OutputHasTheLastWidth()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var mlp = new Mlp(new MlpSpec([3, 8, 8, 2]));

        var y = mlp.call(randn(5, 3));

        Assert.Equal(new long[] { 5, 2 }, y.shape);
    }

    [Fact]
    public void ImageBatchesAreFlattened()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var mlp = new Mlp(new MlpSpec([4, 3]));

        var y = mlp.call(randn(6, 1, 2, 2));

        Assert.Equal(new long[] { 6, 3 }, y.shape);
    }

    [Fact]
    public void HiddenLayersAreLinearActivationBatchNormDropoutAndTheLastIsLinearOutput()
    {
        LatentRuntime.EnsureLoaded();
        using var mlp = new Mlp(new MlpSpec([3, 8, 8, 2], Activation.LeakyReLU, Activation.Tanh, BatchNorm: true, Dropout: 0.3));

        var layers = mlp.named_modules().Where(m => m.name.Count(c => c == '.') == 1).Select(m => m.name).ToArray();

        Assert.Equal(
            new[]
            {
                "layers.linear0", "layers.activation0", "layers.batchnorm0", "layers.dropout0",
                "layers.linear1", "layers.activation1", "layers.batchnorm1", "layers.dropout1",
                "layers.linear2", "layers.activation2",
            },
            layers);
    }

    [Fact]
    public void NoActivationAddsNoLayer()
    {
        LatentRuntime.EnsureLoaded();
        using var mlp = new Mlp(new MlpSpec([3, 8, 2], Activation.None, Activation.None));

        var names = mlp.named_modules().Select(m => m.name).ToArray();

        Assert.Equal(new[] { "layers", "layers.linear0", "layers.linear1" }, names);
    }

    [Fact]
    public void SpectralNormWrapsEveryLinear()
    {
        LatentRuntime.EnsureLoaded();
        using var mlp = new Mlp(new MlpSpec([3, 8, 2], SpectralNorm: true));

        var names = mlp.named_parameters().Select(p => p.name).ToArray();

        Assert.Equal(new[] { "layers.linear0.weight_orig", "layers.linear0.bias", "layers.linear1.weight_orig", "layers.linear1.bias" }, names);
    }

    [Fact]
    public void WidthBelowOneIsRefusedNamingItsIndex()
    {
        LatentRuntime.EnsureLoaded();
        var error = Assert.Throws<ArgumentException>(() => new Mlp(new MlpSpec([3, 0, 1])));
        Assert.Contains("Widths[1] is 0", error.Message);
    }

    [Fact]
    public void FewerThanTwoWidthsAreRefused()
    {
        LatentRuntime.EnsureLoaded();
        var error = Assert.Throws<ArgumentException>(() => new Mlp(new MlpSpec([3])));
        Assert.Contains("at least 2", error.Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    public void DropoutOutsideZeroToOneIsRefused(double dropout)
    {
        LatentRuntime.EnsureLoaded();
        var error = Assert.Throws<ArgumentException>(() => new Mlp(new MlpSpec([3, 4, 1], Dropout: dropout)));
        Assert.Contains("Dropout", error.Message);
    }

    [Fact]
    public void XavierNormalDrawsNormalWeightsWithGlorotStdAndZeroBias()
    {
        // Var = 2 / (fan_in + fan_out) = 2 / (400 + 600).
        AssertNormalLayer(Initializer.XavierNormal, fanIn: 400, fanOut: 600, expectedStd: Math.Sqrt(2.0 / 1000));
    }

    [Fact]
    public void HeNormalDrawsNormalWeightsWithKaimingStdAndZeroBias()
    {
        // Var = 2 / fan_in = 2 / 400.
        AssertNormalLayer(Initializer.HeNormal, fanIn: 400, fanOut: 600, expectedStd: Math.Sqrt(2.0 / 400));
    }

    [Fact]
    public void DcganNormalDrawsWeightsWithStd002AndZeroBias()
    {
        AssertNormalLayer(Initializer.DcganNormal, fanIn: 400, fanOut: 600, expectedStd: 0.02);
    }

    [Fact]
    public void DcganNormalDrawsBatchNormWeightsAroundOne()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var mlp = new Mlp(new MlpSpec([10, 2000, 1], BatchNorm: true, Init: Initializer.DcganNormal));
        var parameters = mlp.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        var gamma = parameters["layers.batchnorm0.weight"];
        Assert.Equal(1.0, gamma.mean().item<float>(), 0.005);
        Assert.Equal(0.02, gamma.std().item<float>(), 0.001);
        Assert.Equal(0f, parameters["layers.batchnorm0.bias"].abs().max().item<float>());
    }

    [Fact]
    public void SameGlobalSeedBuildsTheSameWeights()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(17);
        using var first = new Mlp(new MlpSpec([3, 8, 2], Init: Initializer.HeNormal, SpectralNorm: true));
        manual_seed(17);
        using var second = new Mlp(new MlpSpec([3, 8, 2], Init: Initializer.HeNormal, SpectralNorm: true));

        var a = first.state_dict();
        var b = second.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var key in a.Keys)
            Assert.True(a[key].Equals(b[key]), key);
    }

    private static void AssertNormalLayer(Initializer init, int fanIn, int fanOut, double expectedStd)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var mlp = new Mlp(new MlpSpec([fanIn, fanOut], Init: init));
        var parameters = mlp.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var weight = parameters["layers.linear0.weight"];

        double std = weight.std().item<float>();
        Assert.InRange(std, expectedStd * 0.95, expectedStd * 1.05);
        Assert.Equal(0.0, weight.mean().item<float>(), expectedStd * 0.02);
        // A normal puts 4.55% of its mass beyond 2σ; a uniform of the same std puts none there.
        double tail = (weight.abs() > 2 * expectedStd).to_type(ScalarType.Float32).mean().item<float>();
        Assert.InRange(tail, 0.040, 0.051);
        Assert.Equal(0f, parameters["layers.linear0.bias"].abs().max().item<float>());
    }
}
