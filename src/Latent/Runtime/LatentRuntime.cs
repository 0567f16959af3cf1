using System.Runtime.CompilerServices;
using TorchSharp;

namespace Latent.Runtime;

/// <summary>
/// The engine underneath Latent: loading libtorch, threads and device choice.
/// </summary>
/// <remarks>
/// Latent loads libtorch by itself when its assembly is first used (see <see cref="LibTorchLoader"/>
/// for the libstdc++ repair on older Linux distributions). Call <see cref="EnsureLoaded"/> at an
/// application's entry point to get a clear <see cref="LatentRuntimeException"/> there, rather than
/// a type-initializer failure at the first tensor.
/// </remarks>
public static class LatentRuntime
{
#pragma warning disable CA2255 // A library module initializer is the point: libtorch must be repaired before TorchSharp's first native call.
    [ModuleInitializer]
    internal static void LoadOnFirstUse()
    {
        try
        {
            LibTorchLoader.EnsureLoaded();
        }
        catch (LatentRuntimeException)
        {
            // Kept by the loader and thrown again, with its cause, by EnsureLoaded at the caller's entry point.
        }
    }
#pragma warning restore CA2255

    /// <summary>Loads libtorch, or throws <see cref="LatentRuntimeException"/> naming why it cannot be loaded.</summary>
    public static void EnsureLoaded()
    {
        LibTorchLoader.EnsureLoaded();
        try
        {
            _ = torch.get_num_threads();
        }
        catch (TypeInitializationException e)
        {
            throw new LatentRuntimeException($"Latent cannot start libtorch: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    /// <summary>
    /// What the check of libtorch's oneDNN convolutions found: exact, or wrong on this CPU and therefore turned off
    /// (libtorch's native convolutions, exact and slower, are used then). Reading it runs the check if no convolutional
    /// net of Latent has yet; code that runs TorchSharp's convolutions by itself should read it once first.
    /// </summary>
    public static string OneDnnStatus
    {
        get
        {
            EnsureConvolutionsChecked();
            return OneDnnCheck.EnsureChecked();
        }
    }

    /// <summary>Loads libtorch and, once per process, checks oneDNN's convolutions (see <see cref="OneDnnCheck"/>); every conv net calls it when built.</summary>
    internal static void EnsureConvolutionsChecked()
    {
        EnsureLoaded();
        OneDnnCheck.EnsureChecked();
    }

    /// <summary>
    /// How libtorch's bundled MKL chooses its kernels here: by CPU features (Latent's change on CPUs not made by Intel,
    /// about 2.3× the float32 matrix product on an AMD Zen 5) or by CPU vendor, and why. <c>LATENT_MKL_DISPATCH=vendor</c>
    /// in the environment leaves MKL's own choice.
    /// </summary>
    public static string MklStatus
    {
        get
        {
            EnsureLoaded();
            return MklDispatch.Status;
        }
    }

    /// <summary>
    /// How glibc's malloc treats large blocks here: kept in the heap from step to step (Latent's setting on glibc, up to
    /// twice the speed of a convolutional step) or left to glibc's adaptive thresholds, and why. <c>LATENT_MALLOC=glibc</c>
    /// in the environment leaves glibc's defaults.
    /// </summary>
    public static string MallocStatus
    {
        get
        {
            EnsureLoaded();
            return MallocThresholds.Status;
        }
    }

    /// <summary>How the native shim was loaded: the file and whether it is a repaired copy.</summary>
    public static string NativeDescription => LibTorchLoader.Description;

    /// <summary>Sets libtorch's intra-op thread count.</summary>
    /// <param name="threads">At least 1; the default of libtorch is the number of cores.</param>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        EnsureLoaded();
        torch.set_num_threads(threads);
    }

    /// <summary>Resolves a device name: <c>cpu</c>, <c>cuda</c> (or <c>cuda:N</c>), or <c>auto</c> (CUDA when present, else CPU).</summary>
    /// <exception cref="ArgumentException">An unknown name, or <c>cuda</c> where no CUDA device is present.</exception>
    public static torch.Device ResolveDevice(string name)
    {
        EnsureLoaded();
        string normalized = name.Trim().ToLowerInvariant();
        if (normalized == "auto")
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (normalized == "cpu")
            return torch.CPU;
        if (normalized == "cuda" || normalized.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new ArgumentException($"device '{name}': no CUDA device is available here (this build of libtorch is CPU-only or no GPU is present); use 'cpu' or 'auto'");
            return torch.device(normalized);
        }
        throw new ArgumentException($"device '{name}': expected one of cpu, cuda, cuda:N, auto");
    }
}
