using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Runtime;

public class LatentRuntimeTests
{
    [Fact]
    public void LoadsLibTorchAndComputesASecondOrderGradient()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // f(x) = sum x^3: f' = 3x^2, f'' = 6x. The WGAN-GP penalty needs exactly this: a gradient of a gradient.
        var x = tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        var y = (x * x * x).sum();
        var first = autograd.grad([y], [x], create_graph: true, retain_graph: true)[0];
        var second = autograd.grad([first.sum()], [x])[0];

        Assert.Equal(new float[] { 3, 12, 27 }, first.detach().data<float>().ToArray());
        Assert.Equal(new float[] { 6, 12, 18 }, second.data<float>().ToArray());
    }

    [Fact]
    public void DescribesHowTheNativeShimWasLoaded()
    {
        LatentRuntime.EnsureLoaded();
        Assert.Contains("libLibTorchSharp.so", LatentRuntime.NativeDescription);
    }

    [Fact]
    public void UnknownDeviceNameIsRefusedWithTheExpectedNames()
    {
        var error = Assert.Throws<ArgumentException>(() => LatentRuntime.ResolveDevice("tpu"));
        Assert.Contains("expected one of cpu, cuda", error.Message);
        Assert.Equal(DeviceType.CPU, LatentRuntime.ResolveDevice("cpu").type);
    }
}
