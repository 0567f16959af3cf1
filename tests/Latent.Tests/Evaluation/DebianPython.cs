using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Latent.Tests.Evaluation;

/// <summary>Runs Debian's own Python 3, /usr/bin/python3 (not whichever python3 PATH finds first), for checks against NumPy and SciPy.</summary>
internal static class DebianPython
{
    public const string Executable = "/usr/bin/python3";

    /// <summary>Longer than any script of these tests takes on a busy machine; past it the process is killed and the test fails.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static readonly ConcurrentDictionary<string, string?> MissingByModules = new();

    /// <summary>Why the interpreter or one of <paramref name="modules"/> is unavailable, or null when all import.</summary>
    public static string? Missing(params string[] modules)
    {
        string imports = string.Join(", ", modules);
        return MissingByModules.GetOrAdd(imports, _ =>
        {
            if (!File.Exists(Executable))
                return $"{Executable} is not installed";
            var result = Run("-c", $"import {imports}");
            return result.ExitCode == 0
                ? null
                : $"{Executable} cannot import {imports} (apt-get install python3-numpy python3-scipy): {result.Stderr.Trim()}";
        });
    }

    /// <summary>Runs <c>/usr/bin/python3 ARGS</c> and waits for it to exit.</summary>
    public static PythonResult Run(params string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        // NumPy's BLAS would otherwise start a thread per core next to the test's libtorch threads.
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        start.Environment["OMP_NUM_THREADS"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Executable}");
        // Both streams are read while the process runs: a full pipe would otherwise block it.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{Executable} {string.Join(" ", args)} did not finish within {Timeout.TotalSeconds:F0} s and was killed");
        }
        process.WaitForExit(); // lets the redirected streams reach their end
        return new PythonResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The folder holding Latent.sln, found by walking up from the test assembly's folder.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Latent.sln")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds Latent.sln");
    }
}
