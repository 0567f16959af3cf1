using Latent.Nets;
using Latent.Runtime;
using Latent.Serialization;
using Latent.Tests.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Serialization;

public sealed class ModuleWeightsTests : IDisposable
{
    private static readonly MlpSpec BatchNormSpec = new([3, 8, 8, 2], Activation.LeakyReLU, Activation.Tanh, BatchNorm: true);

    private readonly TemporaryFolder _folder = new();

    public ModuleWeightsTests() => LatentRuntime.EnsureLoaded();

    public void Dispose() => _folder.Dispose();

    private string PathOf(string name) => Path.Combine(_folder.Path, name);

    [Fact]
    public void ASavedAndLoadedNetHasTheSameBitsAndOutputs()
    {
        using var scope = NewDisposeScope();
        using var rng = new Generator(5);
        using var trained = new Mlp(BatchNormSpec);
        MoveRunningStatistics(trained, rng);
        using var fresh = new Mlp(BatchNormSpec);
        string path = PathOf("net.safetensors");

        ModuleWeights.Save(trained, path);
        ModuleWeights.Load(fresh, path);

        var saved = trained.state_dict();
        var loaded = fresh.state_dict();
        Assert.Equal(saved.Keys, loaded.Keys);
        foreach (var (name, value) in saved)
        {
            Assert.Equal(value.dtype, loaded[name].dtype);
            Assert.True(value.bytes.SequenceEqual(loaded[name].bytes), $"'{name}' differs after the round trip");
        }
        Assert.Equal(3L, loaded["layers.batchnorm0.num_batches_tracked"].item<long>());
        trained.eval();
        fresh.eval();
        var x = randn([10, 3], generator: rng);
        Assert.Equal(trained.call(x).data<float>().ToArray(), fresh.call(x).data<float>().ToArray());
    }

    [Fact]
    public void TheFileHoldsTheStateDictNamesDTypesAndAPyTorchFormatMark()
    {
        using var scope = NewDisposeScope();
        using var net = new Mlp(BatchNormSpec);
        string path = PathOf("net.safetensors");

        ModuleWeights.Save(net, path, new Dictionary<string, string> { ["network"] = "decoder" });
        using var file = SafeTensorsFile.Open(path);

        Assert.Equal(net.state_dict().Keys.Order(StringComparer.Ordinal), file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Contains("layers.batchnorm1.running_var", file.Tensors.Select(t => t.Name));
        var counter = file.Tensors.Single(t => t.Name == "layers.batchnorm0.num_batches_tracked");
        Assert.Equal("I64", counter.DType);
        Assert.Empty(counter.Shape);
        Assert.Equal([8L, 3], file.Tensors.Single(t => t.Name == "layers.linear0.weight").Shape);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("decoder", file.Metadata["network"]);
    }

    [Fact]
    public void MissingTensorsAreNamed()
    {
        using var scope = NewDisposeScope();
        using var plain = new Mlp(new MlpSpec([3, 8, 8, 2]));
        using var withBatchNorm = new Mlp(new MlpSpec([3, 8, 8, 2], BatchNorm: true));
        string path = PathOf("plain.safetensors");
        ModuleWeights.Save(plain, path);

        var error = Assert.Throws<SafeTensorsException>(() => ModuleWeights.Load(withBatchNorm, path));

        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains("lacks 10 tensors the module has: 'layers.batchnorm0.weight', ", error.Message);
        Assert.Contains("and 5 more", error.Message);
    }

    [Fact]
    public void UnexpectedTensorsAreNamed()
    {
        using var scope = NewDisposeScope();
        using var withBatchNorm = new Mlp(new MlpSpec([3, 8, 2], BatchNorm: true));
        using var plain = new Mlp(new MlpSpec([3, 8, 2]));
        string path = PathOf("batchnorm.safetensors");
        ModuleWeights.Save(withBatchNorm, path);

        var error = Assert.Throws<SafeTensorsException>(() => ModuleWeights.Load(plain, path));

        Assert.Contains("holds 5 tensors the module does not have: ", error.Message);
        Assert.Contains("'layers.batchnorm0.num_batches_tracked'", error.Message);
        Assert.DoesNotContain("lacks", error.Message);
    }

    [Fact]
    public void AWrongShapeIsNamedWithTheExpectedOne()
    {
        using var scope = NewDisposeScope();
        using var narrow = new Mlp(new MlpSpec([2, 64, 2]));
        using var wide = new Mlp(new MlpSpec([2, 128, 2]));
        string path = PathOf("model.safetensors");
        ModuleWeights.Save(narrow, path);

        var error = Assert.Throws<SafeTensorsException>(() => ModuleWeights.Load(wide, path));

        Assert.Contains("tensor 'layers.linear0.weight' has shape [64, 2]; expected [128, 2]", error.Message);
    }

    [Fact]
    public void AWrongDTypeIsNamedWithTheExpectedOne()
    {
        using var scope = NewDisposeScope();
        using var single = new Mlp(new MlpSpec([2, 4, 2]));
        using var twice = new Mlp(new MlpSpec([2, 4, 2]));
        twice.to(ScalarType.Float64);
        string path = PathOf("model.safetensors");
        ModuleWeights.Save(single, path);

        var error = Assert.Throws<SafeTensorsException>(() => ModuleWeights.Load(twice, path));

        Assert.Contains("tensor 'layers.linear0.weight' has dtype F32; expected F64", error.Message);
    }

    [Fact]
    public void AFailedLoadLeavesTheModuleUnchanged()
    {
        using var scope = NewDisposeScope();
        using var source = new Mlp(new MlpSpec([2, 4, 3]));
        using var target = new Mlp(new MlpSpec([2, 4, 2]));
        string path = PathOf("model.safetensors");
        ModuleWeights.Save(source, path); // the first layer fits; the last does not
        var before = target.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());

        Assert.Throws<SafeTensorsException>(() => ModuleWeights.Load(target, path));

        foreach (var (name, value) in target.state_dict())
            Assert.True(value.bytes.SequenceEqual(before[name].bytes), $"'{name}' changed although the load failed");
    }

    [Fact]
    public void ADamagedFileLeavesTheModuleUnchanged()
    {
        using var scope = NewDisposeScope();
        using var net = new Mlp(new MlpSpec([2, 4, 2]));
        string path = PathOf("model.safetensors");
        ModuleWeights.Save(net, path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var before = net.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());

        var error = Assert.Throws<SafeTensorsException>(() => ModuleWeights.Load(net, path));

        Assert.Contains("beyond the end", error.Message);
        foreach (var (name, value) in net.state_dict())
            Assert.True(value.bytes.SequenceEqual(before[name].bytes), $"'{name}' changed although the load failed");
    }

    /// <summary>Three training-mode batches: the running statistics move and num_batches_tracked becomes 3.</summary>
    private static void MoveRunningStatistics(Mlp net, Generator rng)
    {
        net.train();
        using var noGrad = no_grad();
        for (int i = 0; i < 3; i++)
            net.call(randn([16, 3], generator: rng) * 2 + 1);
    }
}
