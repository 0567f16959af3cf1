using Latent.Models;
using Latent.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Tests.Training;

public class PackedParametersTests
{
    private static Sequential Net(long seed)
    {
        manual_seed(seed);
        // Linear(2, 64)'s weight (64, 2) is packed column-major (PackedParameters.Slot); the others row-major.
        return nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.BatchNorm1d(64), nn.Linear(64, 2));
    }

    private static Dictionary<string, Tensor> Values(nn.Module net) =>
        net.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    [Fact]
    public void PackingKeepsEveryParameterItsIdentityNameShapeAndValue()
    {
        using var net = Net(1);
        var before = Values(net);
        var objects = net.parameters().ToList();

        var packed = PackedParameters.Pack(net.parameters());

        Assert.Equal(objects, net.parameters().ToList()); // the same Parameter objects
        Assert.Equal(before.Keys, net.named_parameters().Select(p => p.name));
        foreach (var (name, parameter) in net.named_parameters())
        {
            Assert.Equal(before[name].shape, parameter.shape);
            Assert.True(before[name].eq(parameter).all().item<bool>(), name);
            Assert.True(parameter.requires_grad);
        }
        Assert.Equal(before.Values.Sum(t => t.numel()), packed.Flat.numel());
        Assert.Equal(1, packed.Flat.dim());
        Assert.True(packed.IsIntact());
        Assert.Same(packed, PackedParameters.Of(objects[0]));
        Assert.Equal([1L, 64L], net.named_parameters().Single(p => p.name == "0.weight").parameter.stride()); // (64, 2), column-major
        Assert.Equal([64L, 1L], net.named_parameters().Single(p => p.name == "3.weight").parameter.stride()); // (2, 64), row-major
    }

    [Fact]
    public void APermutedDenseLayoutIsKeptAndAnyOtherIsPackedRowMajor()
    {
        // A kernel stored channels-last, as Convolution2d stores it where it runs as one GEMM: (out, in, k, k) with dimension 1 innermost.
        var channelsLast = randn(6, 3, 2, 2).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        Assert.Equal(new[] { 0, 2, 3, 1 }, PackedParameters.MemoryOrder(channelsLast.shape, channelsLast.stride()));
        Assert.Null(PackedParameters.MemoryOrder([6, 3, 2, 2], [12, 4, 2, 1]));        // row-major
        Assert.Null(PackedParameters.MemoryOrder([6, 3], [8, 1]));                    // a slice of wider rows: not dense
        Assert.Null(PackedParameters.MemoryOrder([1, 5], [1, 1]));                    // size 1 takes any stride: row-major
        Assert.Equal(new[] { 0, 2, 1 }, PackedParameters.MemoryOrder([1, 4, 5], [7, 1, 4]));// (1, 4, 5) stored as (1, 5, 4)

        var kernel = new Parameter(channelsLast.clone());
        var bias = new Parameter(randn(6));
        var before = kernel.detach().clone();
        using var packed = PackedParameters.Pack([kernel, bias]);

        Assert.Equal(channelsLast.stride(), kernel.stride());
        Assert.Equal(channelsLast.stride(), kernel.grad!.stride());
        Assert.True(before.Equals(kernel));
        Assert.True(kernel.permute(0, 2, 3, 1).reshape(-1).Equals(packed.Flat.narrow(0, 0, kernel.numel())));
        Assert.True(packed.IsIntact());
    }

    [Fact]
    public void BackwardFillsTheFlatGradientAndTheOptimizerZeroesItInPlace()
    {
        using var net = Net(2);
        var packed = PackedParameters.Pack(net.parameters());
        using var optimizer = optim.SGD([packed.Flat], 0.1);

        net.call(randn(8, 2)).square().sum().backward();

        // Each parameter's gradient is its slot of the flat gradient, in the slot's layout.
        var flatGradient = packed.Flat.grad!;
        long offset = 0;
        foreach (var parameter in net.parameters())
        {
            Assert.True(PackedParameters.Slot(flatGradient, offset, parameter.shape).eq(parameter.grad!).all().item<bool>());
            offset += parameter.numel();
        }
        Assert.Equal(flatGradient.numel(), offset);
        Assert.True(flatGradient.abs().sum().item<float>() > 0);

        optimizer.zero_grad();
        Assert.Equal(0f, net.parameters().Sum(p => p.grad!.abs().sum().item<float>()));
        Assert.True(packed.IsIntact());
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("rmsprop")]
    [InlineData("sgd")]
    public void AnOptimizerOverThePackTrainsAsItDoesOverTheSeparateParameters(string kind)
    {
        using var plain = Net(3);
        using var packedNet = Net(3);
        var packed = PackedParameters.Pack(packedNet.parameters());
        optim.Optimizer Make(IEnumerable<Parameter> parameters) => kind switch
        {
            "adam" => optim.Adam(parameters, 1e-2, weight_decay: 1e-3),
            "rmsprop" => optim.RMSProp(parameters, 1e-2, momentum: 0.5),
            _ => optim.SGD(parameters, 1e-2, momentum: 0.9),
        };
        using var plainOptimizer = Make(plain.parameters());
        using var packedOptimizer = Make([packed.Flat]);
        var data = new torch.Generator(4);

        for (int step = 0; step < 30; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn([16, 2], generator: data);
            foreach (var (net, optimizer) in new[] { ((nn.Module<Tensor, Tensor>)plain, plainOptimizer), (packedNet, packedOptimizer) })
            {
                optimizer.zero_grad();
                net.call(x).square().mean().backward();
                optimizer.step();
            }
        }

        var expected = Values(plain);
        foreach (var (name, parameter) in packedNet.named_parameters())
        {
            double difference = (parameter - expected[name]).abs().max().item<float>();
            Assert.True(difference < 1e-6, $"{kind}: {name} differs by {difference}");
        }
        using var untrained = Net(3);
        Assert.True(Values(plain).Zip(Values(untrained)).Any(pair => !pair.First.Value.eq(pair.Second.Value).all().item<bool>()), "training moved nothing");
        Assert.True(packed.IsIntact());
    }

    [Fact]
    public void SettingTheModulesGradientsToNoneIsDetected()
    {
        using var net = Net(5);
        var packed = PackedParameters.Pack(net.parameters());
        net.call(randn(4, 2)).sum().backward();
        Assert.True(packed.IsIntact());

        net.zero_grad(); // TorchSharp's default: set_to_none

        Assert.False(packed.IsIntact());
    }

    [Fact]
    public void PackingIsRefusedTwiceForOneParameterAndForNoneOrMixedDtypes()
    {
        using var net = Net(6);
        PackedParameters.Pack(net.parameters());
        Assert.Contains("already packed", Assert.Throws<ArgumentException>(() => PackedParameters.Pack(net.parameters())).Message);
        Assert.Contains("no parameters", Assert.Throws<ArgumentException>(() => PackedParameters.Pack([])).Message);

        using var mixed = nn.Linear(2, 2);
        mixed.weight = new Parameter(zeros(2, 2, dtype: float64));
        Assert.Contains("share one dtype", Assert.Throws<ArgumentException>(() => PackedParameters.Pack(mixed.parameters())).Message);
    }

    [Fact]
    public void TheEmaOfAPackedNetworkEqualsTheEmaTakenTensorByTensor()
    {
        using var plain = Net(7);
        using var plainShadow = Net(8);
        using var packedNet = Net(7);
        using var packedShadow = Net(8);
        PackedParameters.Pack(packedNet.parameters());
        using var plainEma = new ExponentialMovingAverage(plain, plainShadow, 0.9);
        using var packedEma = new ExponentialMovingAverage(packedNet, packedShadow, 0.9);
        Assert.NotNull(PackedParameters.Of(packedShadow.parameters().First())); // the shadow was packed alike

        for (int step = 0; step < 5; step++)
        {
            using (no_grad())
            {
                foreach (var (a, b) in plain.parameters().Zip(packedNet.parameters()))
                {
                    var change = randn(a.shape);
                    a.add_(change);
                    b.add_(change);
                }
            }
            plainEma.Update();
            packedEma.Update();
        }

        var expected = Values(plainShadow);
        foreach (var (name, parameter) in packedShadow.named_parameters())
            Assert.True(parameter.eq(expected[name]).all().item<bool>(), name);
    }
}
