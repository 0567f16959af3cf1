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
    public void MklChoosesKernelsByFeaturesOnAnX64CpuNotMadeByIntelWithAvx2AndFma()
    {
        // Decided here from cpuid independently of MklDispatch, so a wrong vendor test there fails this.
        bool intel = System.Runtime.Intrinsics.X86.X86Base.IsSupported && System.Runtime.Intrinsics.X86.X86Base.CpuId(0, 0) is var (_, ebx, _, _) && ebx == 0x756E6547; // "Genu"
        bool expectChange = OperatingSystem.IsLinux() && System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported && !intel &&
                            Environment.GetEnvironmentVariable("LATENT_MKL_DISPATCH") is null or "" or "features";

        string status = LatentRuntime.MklStatus;

        if (expectChange)
            Assert.Equal("MKL: kernels chosen by CPU features (told the CPU is Intel's; products checked exact)", status);
        else
            Assert.StartsWith("MKL: left to dispatch by CPU vendor (", status);
        // Whichever kernels MKL took, a product of small integers is exact in float32.
        using var scope = NewDisposeScope();
        var a = arange(-40, 40, dtype: ScalarType.Float32).remainder(7).view(10, 8);
        var b = arange(0, 8 * 300, dtype: ScalarType.Float32).remainder(5).view(8, 300);
        Assert.Equal(a.to(ScalarType.Float64).mm(b.to(ScalarType.Float64)).to(ScalarType.Float32).data<float>().ToArray(), a.mm(b).data<float>().ToArray());
    }

    [Fact]
    public void UnknownDeviceNameIsRefusedWithTheExpectedNames()
    {
        var error = Assert.Throws<ArgumentException>(() => LatentRuntime.ResolveDevice("tpu"));
        Assert.Contains("expected one of cpu, cuda", error.Message);
        Assert.Equal(DeviceType.CPU, LatentRuntime.ResolveDevice("cpu").type);
    }
}
