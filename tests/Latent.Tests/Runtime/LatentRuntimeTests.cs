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
    public void AFreedLargeBlockIsReusedFromTheHeapWithoutPageFaults()
    {
        // Elsewhere the status says what was left alone, and there is no mechanism of Latent's to test.
        if (!OperatingSystem.IsLinux())
        {
            Assert.Equal("malloc: left as it is (not Linux)", LatentRuntime.MallocStatus);
            return;
        }
        if (Environment.GetEnvironmentVariable("LATENT_MALLOC") == "glibc")
        {
            Assert.Equal("malloc: glibc's adaptive thresholds (LATENT_MALLOC=glibc)", LatentRuntime.MallocStatus);
            return;
        }
        Assert.Equal("malloc: large blocks kept in the heap (glibc mmap threshold 32 MiB, trim threshold 64 MiB)", LatentRuntime.MallocStatus);

        // Marshal.AllocHGlobal is malloc on Unix, which is what libtorch allocates with. 8 MiB is 2,048 pages: mapped afresh,
        // each one faults on first touch; kept in the heap, the second block is the first one again and already resident.
        var ones = new byte[8 << 20];
        Array.Fill(ones, (byte)1);
        TouchFreshBlock(ones);
        long before = MinorFaultsOfThisThread();
        TouchFreshBlock(ones);
        long faults = MinorFaultsOfThisThread() - before;

        Assert.True(faults < 200, $"{faults} page faults touching a re-allocated block of 8 MiB (2,048 pages); expected it reused from the heap");
    }

    private static void TouchFreshBlock(byte[] content)
    {
        IntPtr block = System.Runtime.InteropServices.Marshal.AllocHGlobal(content.Length);
        try
        {
            System.Runtime.InteropServices.Marshal.Copy(content, 0, block, content.Length);
        }
        finally
        {
            System.Runtime.InteropServices.Marshal.FreeHGlobal(block);
        }
    }

    // Field 10 of /proc/thread-self/stat; the fields after the command name's closing parenthesis start at field 3.
    private static long MinorFaultsOfThisThread()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void UnknownDeviceNameIsRefusedWithTheExpectedNames()
    {
        var error = Assert.Throws<ArgumentException>(() => LatentRuntime.ResolveDevice("tpu"));
        Assert.Contains("expected one of cpu, cuda", error.Message);
        Assert.Equal(DeviceType.CPU, LatentRuntime.ResolveDevice("cpu").type);
    }
}
