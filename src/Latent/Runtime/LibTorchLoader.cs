using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Latent.Runtime;

/// <summary>
/// Loads libtorch and TorchSharp's native shim, repairing the shim where the system's libstdc++ is too old.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> requires <c>GLIBCXX_3.4.32</c> (GCC 13's libstdc++),
/// which Debian 12 and Ubuntu 22.04 lack. The only symbol behind that version is
/// <c>std::ios_base_library_init</c>, a link-time marker that is never called, so marking that one
/// requirement weak makes the shim load and work on GCC 12's libstdc++. Where the shim loads as it is,
/// nothing is done. Otherwise a patched copy is written to a cache folder (the NuGet cache and the
/// application folder are never touched), its libtorch neighbours are preloaded from where they lie,
/// and the copy is loaded: TorchSharp's own lookup of <c>LibTorchSharp</c> then finds it by its soname.
/// Once loaded, before any tensor exists, MKL is told to choose its kernels by CPU features (<see cref="MklDispatch"/>).
/// Before anything is loaded, glibc's malloc thresholds are fixed (<see cref="MallocThresholds"/>).
/// </remarks>
internal static class LibTorchLoader
{
    private const string ShimFile = "libLibTorchSharp.so";
    private const string MissingVersion = "GLIBCXX_3.4.32";
    // Loaded before the shim, in dependency order, so that the copy in the cache resolves them by soname.
    private static readonly string[] Neighbours = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    private static readonly Lazy<Exception?> LoadOutcome = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>What was done to load the shim, for diagnostics (<c>latent --version</c>).</summary>
    internal static string Description { get; private set; } = "not loaded yet";

    /// <summary>Loads the native libraries once; throws <see cref="LatentRuntimeException"/> naming the cause when they cannot load.</summary>
    internal static void EnsureLoaded()
    {
        if (LoadOutcome.Value is { } error)
            throw error;
    }

    private static Exception? TryLoad()
    {
        if (MallocThresholds.Apply() is { } mallocError)
            return mallocError;
        if (!OperatingSystem.IsLinux())
        {
            Description = "left to TorchSharp (not Linux)";
            return null;
        }
        string? shim = FindShim();
        if (shim is null)
        {
            // No shim beside the application: TorchSharp may still find one (for instance a Python install); let it say why not.
            Description = "left to TorchSharp (no libLibTorchSharp.so found beside the application)";
            return null;
        }

        string shimFolder = Path.GetDirectoryName(shim)!;
        string libtorchFolder = FindLibTorchFolder(shimFolder) ?? shimFolder;
        foreach (string neighbour in Neighbours)
        {
            string path = Path.Combine(libtorchFolder, neighbour);
            if (File.Exists(path) && !NativeLibrary.TryLoad(path, out _))
                return Failure($"libtorch's {neighbour} at {path} could not be loaded: {LoadError(path)}");
        }

        string firstError;
        try
        {
            NativeLibrary.Load(shim);
            Description = $"{shim} (as shipped)";
            return MklDispatch.Apply();
        }
        catch (DllNotFoundException e)
        {
            firstError = e.Message;
        }
        if (!firstError.Contains(MissingVersion, StringComparison.Ordinal))
            return Failure($"{shim} could not be loaded: {firstError}");

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(shim);
        }
        catch (IOException e)
        {
            return Failure($"{shim} could not be read to repair it: {e.Message}");
        }
        string hash = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
        var result = ElfVersionPatcher.MarkVersionWeak(bytes, MissingVersion, out string? problem);
        if (result is ElfVersionPatcher.Result.NotPatchable or ElfVersionPatcher.Result.VersionNotRequired)
        {
            string why = problem ?? $"it does not list {MissingVersion} among its needs";
            return Failure($"{shim} needs {MissingVersion} (GCC 13's libstdc++), which this system's libstdc++ lacks, " +
                           $"and the shim cannot be repaired: {why}. Install libstdc++ from GCC 13 or later.");
        }

        string patched;
        try
        {
            patched = WritePatchedCopy(bytes, hash);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failure($"{shim} needs {MissingVersion}, which this system's libstdc++ lacks; the repaired copy could not be written " +
                           $"under {CacheFolder()}: {e.Message}. Set LATENT_CACHE to a writable folder.");
        }
        try
        {
            NativeLibrary.Load(patched);
        }
        catch (DllNotFoundException e)
        {
            return Failure($"the repaired copy {patched} of {shim} could not be loaded either: {e.Message}");
        }
        Description = $"{patched} (repaired copy of {shim}: {MissingVersion} marked weak)";
        return MklDispatch.Apply();
    }

    private static LatentRuntimeException Failure(string message) =>
        new($"Latent cannot load libtorch: {message}");

    private static string LoadError(string path)
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return "unknown error";
        }
        catch (DllNotFoundException e)
        {
            return e.Message;
        }
    }

    /// <summary>The shim beside the application or TorchSharp.dll, where the SDK copies package natives.</summary>
    private static string? FindShim()
    {
        string torchSharpFolder = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location) ?? AppContext.BaseDirectory;
        string[] folders =
        [
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"),
            AppContext.BaseDirectory,
            Path.Combine(torchSharpFolder, "runtimes", "linux-x64", "native"),
            torchSharpFolder,
            // The NuGet cache, where TorchSharp.dll itself lives there (a package consumer with no local copy).
            Path.GetFullPath(Path.Combine(torchSharpFolder, "..", "..", "runtimes", "linux-x64", "native")),
        ];
        return folders.Select(f => Path.Combine(f, ShimFile)).FirstOrDefault(File.Exists);
    }

    /// <summary>libtorch beside the shim, or in the NuGet cache's libtorch package when the shim came from the cache.</summary>
    private static string? FindLibTorchFolder(string shimFolder)
    {
        if (File.Exists(Path.Combine(shimFolder, "libtorch.so")))
            return shimFolder;
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string package = Path.Combine(packages, "libtorch-cpu-linux-x64");
        if (!Directory.Exists(package))
            return null;
        return Directory.GetDirectories(package)
            .OrderByDescending(d => d, StringComparer.Ordinal)
            .Select(d => Path.Combine(d, "runtimes", "linux-x64", "native"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch.so")));
    }

    /// <summary><c>$LATENT_CACHE</c>, else <c>$XDG_CACHE_HOME/latent</c>, else <c>~/.cache/latent</c>.</summary>
    internal static string CacheFolder()
    {
        string? explicitFolder = Environment.GetEnvironmentVariable("LATENT_CACHE");
        if (!string.IsNullOrEmpty(explicitFolder))
            return explicitFolder;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "latent");
    }

    private static string WritePatchedCopy(byte[] patchedBytes, string originalHash)
    {
        // Keyed by the original's hash: a new TorchSharp version gets a new folder, and concurrent
        // processes write identical bytes, so whichever rename lands last is as good as the first.
        string folder = Path.Combine(CacheFolder(), "native", originalHash);
        string target = Path.Combine(folder, ShimFile);
        if (File.Exists(target) && new FileInfo(target).Length == patchedBytes.Length && File.ReadAllBytes(target).AsSpan().SequenceEqual(patchedBytes))
            return target;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{ShimFile}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temporary, patchedBytes);
        File.Move(temporary, target, overwrite: true);
        return target;
    }
}
