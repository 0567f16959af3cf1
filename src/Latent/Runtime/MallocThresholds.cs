using System.Runtime.InteropServices;

namespace Latent.Runtime;

/// <summary>
/// Fixes glibc malloc's two thresholds so that a training step's large tensors are recycled inside the heap
/// instead of being mapped, faulted in, zeroed and unmapped again at every step.
/// </summary>
/// <remarks>
/// <para>libtorch takes every tensor's memory from malloc. glibc serves a request of <c>M_MMAP_THRESHOLD</c> bytes or more
/// (128 KiB at start) with a mapping of its own and unmaps it when freed, and it gives the top of the heap back to the
/// kernel once more than <c>M_TRIM_THRESHOLD</c> is free there. Both move at run time: each mapped block freed raises the
/// mmap threshold to its size, up to 32 MiB, and the trim threshold to twice that. So whether the activations of an
/// image step (1–30 MB each) stay in the heap or cost a page fault per 4 KiB per step depends on the order in which the
/// process happened to free its first large blocks. Measured with the bench's bare loop in fresh processes at 2 threads,
/// with oneDNN's convolutions (the path Latent takes wherever oneDNN passes its check), three pairs of processes each:
/// <c>mnist-dcgan</c> 3.1–3.9 steps/s and ~24,000 page faults a step with glibc's rule, 6.5–6.8 and ~6,000 with Latent's
/// thresholds; <c>dcgan64</c> 2.2–2.4 against 4.1–4.7. With libtorch's native convolutions (where oneDNN fails the
/// check, as on the machine these figures come from) the gain was 1.0–1.08×.</para>
/// <para>Latent sets both where glibc's own rule ends: mmap at 32 MiB (the largest glibc accepts on 64-bit) and trim at
/// 64 MiB. Setting either one alone turns the rule off for both and is worse than neither (0.5–1.4 steps/s on
/// <c>dcgan64</c>). The cost is that up to 64 MiB of freed memory stays resident. Only glibc on Linux is touched;
/// <c>LATENT_MALLOC=glibc</c> in the environment leaves glibc's defaults.</para>
/// </remarks>
internal static class MallocThresholds
{
    /// <summary>The environment variable that leaves glibc's defaults (<c>glibc</c>) or states Latent's (<c>fixed</c>).</summary>
    internal const string Variable = "LATENT_MALLOC";

    internal const int MmapThreshold = 32 << 20;
    internal const int TrimThreshold = 64 << 20;

    // mallopt's parameter numbers, from glibc's malloc.h.
    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;

    /// <summary>What was done, for diagnostics (<c>latent --version</c>, a run's summary, the bench's machine line).</summary>
    internal static string Status { get; private set; } = "malloc: left as it is (not set up by Latent yet)";

    /// <summary>Fixes the thresholds where that can be done; returns an error to raise for an unknown setting, else null.</summary>
    internal static LatentRuntimeException? Apply()
    {
        string? setting = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(setting) && setting is not ("fixed" or "glibc"))
            return new LatentRuntimeException($"{Variable}='{setting}' in the environment: expected 'fixed' (the default) or 'glibc'.");
        Status = setting == "glibc" ? $"malloc: glibc's adaptive thresholds ({Variable}=glibc)" : SetThresholds();
        return null;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MallOpt(int parameter, int value);

    /// <summary>Sets both thresholds where the C library is glibc, and says what came of it.</summary>
    private static string SetThresholds()
    {
        if (!OperatingSystem.IsLinux())
            return "malloc: left as it is (not Linux)";
        // gnu_get_libc_version tells glibc apart from musl, whose mallopt accepts the call and does nothing.
        if (!NativeLibrary.TryLoad("libc.so.6", out IntPtr libc) || !NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _) ||
            !NativeLibrary.TryGetExport(libc, "mallopt", out IntPtr address))
            return "malloc: left as it is (not glibc)";
        var mallopt = Marshal.GetDelegateForFunctionPointer<MallOpt>(address);
        // mallopt returns 1 on success. glibc refuses an mmap threshold above half its largest heap (32 MiB on 64-bit),
        // leaving both adaptive, and never refuses a trim threshold.
        if (mallopt(MMmapThreshold, MmapThreshold) != 1)
            return $"malloc: glibc's adaptive thresholds (glibc refused an mmap threshold of {MmapThreshold >> 20} MiB)";
        if (mallopt(MTrimThreshold, TrimThreshold) != 1)
            return $"malloc: glibc's adaptive thresholds (glibc refused a trim threshold of {TrimThreshold >> 20} MiB)";
        return $"malloc: large blocks kept in the heap (glibc mmap threshold {MmapThreshold >> 20} MiB, trim threshold {TrimThreshold >> 20} MiB)";
    }
}
