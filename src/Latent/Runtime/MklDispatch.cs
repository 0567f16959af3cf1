using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Latent.Runtime;

/// <summary>
/// Lets the MKL inside libtorch choose its kernels by what the CPU can do rather than by who made it.
/// </summary>
/// <remarks>
/// <para>libtorch 2.10 links MKL statically. At its first call MKL asks <c>mkl_serv_intel_cpu_true</c> whether cpuid's
/// vendor string is <c>GenuineIntel</c>, caches the answer, and on any other vendor takes generic kernels. On an AMD
/// Zen 5 with AVX-512 that holds libtorch's float32 matrix product at 80–90 GFLOP/s a core; told "Intel", MKL picks its
/// kernels from the feature bits and reaches 175–210 (measured with libtorch's <c>mm</c>, 256² to 1024², one thread).
/// Every linear layer runs on it, and so do convolutions, which take libtorch's im2col and MKL path when oneDNN is
/// off (see <see cref="OneDnnCheck"/>).</para>
/// <para>So before MKL's first call Latent stores 1 in that function's cache. It does so only on x64 Linux, on a CPU that
/// is not Intel's and has AVX2 and FMA, when the function is exactly the known code (load the cache, return it when it
/// is not negative) and the cache is still undecided; otherwise nothing is touched and <see cref="Status"/> says why.
/// The choice cannot be undone once MKL has run, so a product of integers, exact in float32 whatever the kernel, is
/// checked right after; a wrong one stops Latent from loading, with the way out in the message.
/// <c>LATENT_MKL_DISPATCH=vendor</c> leaves MKL as it is.</para>
/// </remarks>
internal static class MklDispatch
{
    /// <summary>The environment variable that turns the change off (<c>vendor</c>) or states the default (<c>features</c>).</summary>
    internal const string Variable = "LATENT_MKL_DISPATCH";

    private const string Function = "mkl_serv_intel_cpu_true";

    /// <summary>What was done, for diagnostics (<c>latent --version</c>, the bench's machine line).</summary>
    internal static string Status { get; private set; } = "MKL: left to dispatch by CPU vendor (libtorch was not loaded by Latent: not Linux, or no shim beside the application)";

    /// <summary>
    /// Tells MKL to dispatch on features where that is safe to do; call once libtorch is loaded and before any tensor
    /// operation. Returns an error to raise when the check afterwards finds a wrong product, else null.
    /// </summary>
    internal static LatentRuntimeException? Apply()
    {
        string? setting = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(setting) && setting is not ("features" or "vendor"))
            return new LatentRuntimeException($"{Variable}='{setting}' in the environment: expected 'features' (the default) or 'vendor'.");
        string? skipped = setting == "vendor" ? $"{Variable}=vendor" : TryChange();
        if (skipped is not null)
        {
            Status = $"MKL: left to dispatch by CPU vendor ({skipped})";
            return null;
        }
        string? wrong;
        try
        {
            wrong = CheckProduct();
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException)
        {
            // The check is the process's first tensor operation: TorchSharp's own start-up fails here, if anywhere.
            return new LatentRuntimeException($"Latent cannot start libtorch: {e.InnerException?.Message ?? e.Message}", e);
        }
        if (wrong is not null)
            return new LatentRuntimeException(
                $"Latent cannot use libtorch's MKL on this CPU: with its kernels chosen by CPU features, {wrong}. " +
                $"Set {Variable}=vendor to leave MKL's own choice (slower on CPUs not made by Intel).");
        Status = "MKL: kernels chosen by CPU features (told the CPU is Intel's; products checked exact)";
        return null;
    }

    /// <summary>Stores 1 in MKL's vendor cache, or says why not.</summary>
    private static string? TryChange()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return "not x64 Linux";
        if (!Avx2.IsSupported || !Fma.IsSupported)
            return "the CPU lacks AVX2 or FMA";
        if (IsIntel())
            return "an Intel CPU, which MKL serves best by itself";
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", out IntPtr library) || !NativeLibrary.TryGetExport(library, Function, out IntPtr function))
            return $"libtorch_cpu.so does not export {Function}";

        // mov eax, [rip + rel32]; test eax, eax; js +1; ret: the cache is the int at rip + rel32, -1 until MKL's first call.
        byte[] known = [0x8B, 0x05, 0, 0, 0, 0, 0x85, 0xC0, 0x78, 0x01, 0xC3];
        for (int i = 0; i < known.Length; i++)
            if (i is < 2 or >= 6 && Marshal.ReadByte(function, i) != known[i])
                return $"{Function} is not the code Latent knows (another libtorch build)";
        IntPtr cache = function + 6 + Marshal.ReadInt32(function, 2);
        if (Marshal.ReadInt32(cache) != -1)
            return "MKL ran before Latent loaded; its choice is made";
        Marshal.WriteInt32(cache, 1);
        return null;
    }

    private static bool IsIntel()
    {
        // The vendor string is in EBX, EDX, ECX of cpuid leaf 0.
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<int> vendor = [ebx, edx, ecx];
        return System.Text.Encoding.ASCII.GetString(MemoryMarshal.AsBytes(vendor)) == "GenuineIntel";
    }

    /// <summary>
    /// Multiplies small integers, whose products and sums float32 holds exactly, through libtorch's <c>mm</c> (plain and
    /// with a transposed operand, at sizes that reach MKL's blocked kernels) and compares with sums taken here.
    /// </summary>
    private static string? CheckProduct()
    {
        const int rows = 70, inner = 130, columns = 90;
        var a = new float[rows * inner];
        var b = new float[inner * columns];
        for (int i = 0; i < a.Length; i++)
            a[i] = i * 7 % 9 - 4;
        for (int i = 0; i < b.Length; i++)
            b[i] = i * 5 % 11 - 5;
        var expected = new float[rows * columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                float sum = 0;
                for (int k = 0; k < inner; k++)
                    sum += a[r * inner + k] * b[k * columns + c];
                expected[r * columns + c] = sum;
            }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var left = tensor(a).view(rows, inner);
        var right = tensor(b).view(inner, columns);
        foreach (var (name, product) in new[]
                 {
                     ("a 70×130 by 130×90 product", left.mm(right)),
                     ("the same product with the right operand transposed in memory", left.mm(right.t().contiguous().t())),
                 })
        {
            float[] actual = product.contiguous().data<float>().ToArray();
            for (int i = 0; i < expected.Length; i++)
                if (actual[i] != expected[i])
                    return $"{name} is wrong at [{i / columns}, {i % columns}]: {actual[i]} instead of {expected[i]}";
        }
        return null;
    }
}
