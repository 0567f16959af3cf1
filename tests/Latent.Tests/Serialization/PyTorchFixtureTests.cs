using Latent.Nets;
using Latent.Recipes;
using Latent.Runtime;
using Latent.Serialization;
using Latent.Tests.Imaging;
using static TorchSharp.torch;

namespace Latent.Tests.Serialization;

/// <summary>
/// Weights and outputs written by PyTorch 1.13 (bench/pytorch/make_safetensors_fixture.py, which names the command that
/// made the files in tests/Latent.Tests/Fixtures): loaded into the same nets built by Latent, the same inputs give the same outputs.
/// </summary>
public sealed class PyTorchFixtureTests
{
    public PyTorchFixtureTests() => LatentRuntime.EnsureLoaded();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Fact]
    public void TheGan8gGeneratorGivesPyTorchsOutputsWithPyTorchsWeights()
    {
        using var scope = NewDisposeScope();
        var recipe = Presets.Get("gan8g");
        using var generator = NetBuilder.Perceptron(recipe.Gan.Generator, recipe.Gan.LatentDim, 2);

        ModuleWeights.Load(generator, Fixture("pytorch-gan8g-generator.safetensors"));
        generator.eval();
        using var outputs = SafeTensorsFile.Open(Fixture("pytorch-outputs.safetensors"));
        var z = outputs.Read("gan8g.input");
        var expected = outputs.Read("gan8g.output");
        using var noGrad = no_grad();
        var actual = generator.call(z);

        AssertClose(expected, actual);
    }

    [Fact]
    public void ABatchNormNetGivesPyTorchsOutputsWithPyTorchsWeightsAndRunningStatistics()
    {
        using var scope = NewDisposeScope();
        using var net = new Mlp(new MlpSpec([3, 16, 16, 4], Activation.LeakyReLU, Activation.Tanh, BatchNorm: true));

        ModuleWeights.Load(net, Fixture("pytorch-batchnorm-mlp.safetensors"));
        net.eval();
        using var outputs = SafeTensorsFile.Open(Fixture("pytorch-outputs.safetensors"));
        var x = outputs.Read("batchnorm.input");
        var expected = outputs.Read("batchnorm.output");
        using var noGrad = no_grad();
        var actual = net.call(x);

        AssertClose(expected, actual);
        var state = net.state_dict();
        Assert.Equal(ScalarType.Int64, state["layers.batchnorm1.num_batches_tracked"].dtype);
        Assert.Equal(3L, state["layers.batchnorm1.num_batches_tracked"].item<long>());
        Assert.NotEqual(1f, state["layers.batchnorm0.running_var"][0].item<float>());
    }

    [Fact]
    public void WeightsLoadedFromPyTorchAreWrittenBackToTheSameBytes()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        string original = Fixture("pytorch-batchnorm-mlp.safetensors");
        using var net = new Mlp(new MlpSpec([3, 16, 16, 4], Activation.LeakyReLU, Activation.Tanh, BatchNorm: true));
        ModuleWeights.Load(net, original);
        IReadOnlyDictionary<string, string> metadata;
        using (var file = SafeTensorsFile.Open(original))
            metadata = file.Metadata;
        string copy = Path.Combine(folder.Path, "copy.safetensors");

        ModuleWeights.Save(net, copy, metadata);

        // Same header (layout, key order, padding) and the same bits, as the reference writer would lay them out.
        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(copy));
    }

    [Theory]
    [InlineData("F64", ScalarType.Float64)]
    [InlineData("F32", ScalarType.Float32)]
    [InlineData("F16", ScalarType.Float16)]
    [InlineData("BF16", ScalarType.BFloat16)]
    public void FloatTypesWrittenByPyTorchReadAsTheirValues(string name, ScalarType type)
    {
        using var scope = NewDisposeScope();
        using var file = SafeTensorsFile.Open(Fixture("pytorch-outputs.safetensors"));
        // The script's values, rounded to each type by libtorch as PyTorch rounded them.
        var expected = tensor(new[] { 0.0, -1.5, 3.25, 65504.0, Math.Pow(2, -14), -0.0 }, [2, 3]).to(type);

        var read = file.Read($"dtypes.{name}");

        Assert.Equal(type, read.dtype);
        Assert.Equal(expected.bytes.ToArray(), read.bytes.ToArray());
    }

    [Theory]
    [InlineData("I64", ScalarType.Int64)]
    [InlineData("I32", ScalarType.Int32)]
    [InlineData("I16", ScalarType.Int16)]
    [InlineData("I8", ScalarType.Int8)]
    public void SignedTypesWrittenByPyTorchReadAsTheirValues(string name, ScalarType type)
    {
        using var scope = NewDisposeScope();
        using var file = SafeTensorsFile.Open(Fixture("pytorch-outputs.safetensors"));

        var read = file.Read($"dtypes.{name}");

        Assert.Equal(type, read.dtype);
        Assert.Equal([0L, 1, -2, 100, -128, 127], read.to(ScalarType.Int64).data<long>().ToArray());
    }

    [Fact]
    public void BytesAndBoolsWrittenByPyTorchReadAsTheirValues()
    {
        using var scope = NewDisposeScope();
        using var file = SafeTensorsFile.Open(Fixture("pytorch-outputs.safetensors"));

        var bytes = file.Read("dtypes.U8");
        var bools = file.Read("dtypes.BOOL");

        Assert.Equal([0, 1, 2, 100, 128, 255], bytes.data<byte>().ToArray());
        Assert.Equal([true, false, true, false, false, true], bools.data<bool>().ToArray());
        Assert.Equal([2L, 3], bools.shape);
    }

    /// <summary>Same shape, and every value within 1e-6 (absolute, plus 1e-6 relative): float32 sums may differ in order between builds.</summary>
    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        float[] e = expected.data<float>().ToArray(), a = actual.data<float>().ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-6 + 1e-6 * Math.Abs(e[i]), $"value {i}: PyTorch {e[i]:R}, Latent {a[i]:R}");
    }
}
