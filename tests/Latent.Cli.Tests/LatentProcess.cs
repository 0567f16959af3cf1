using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Latent.Cli.Tests;

/// <summary>
/// Runs the real <c>latent</c> command in its own process, <c>dotnet Latent.Cli.dll ARGS</c>, the way a user's shell does:
/// its own working folder, standard output and error redirected (so the command sees a pipe, not a terminal).
/// </summary>
internal static class LatentProcess
{
    /// <summary>Longer than any command of this suite takes, even on a busy machine; past it the process is killed and the test fails.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    // The test project references Latent.Cli, so the build copies Latent.Cli.dll (and its runtimeconfig) next to the tests.
    private static readonly string CliAssembly = Path.Combine(AppContext.BaseDirectory, "Latent.Cli.dll");

    /// <summary>Runs <c>latent ARGS</c> in <paramref name="workingDirectory"/> and waits for it to exit.</summary>
    public static LatentResult Run(string workingDirectory, params string[] args) => Run(workingDirectory, DefaultTimeout, args);

    /// <summary>Runs <c>latent ARGS</c> in <paramref name="workingDirectory"/>; kills it and fails the test after <paramref name="timeout"/>.</summary>
    public static LatentResult Run(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using var running = Start(workingDirectory, args);
        return running.WaitForExit(timeout);
    }

    /// <summary>Runs <c>latent ARGS</c> with <paramref name="environment"/> added to the inherited environment.</summary>
    public static LatentResult Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var running = Start(workingDirectory, environment, args);
        return running.WaitForExit(DefaultTimeout);
    }

    /// <summary>Starts <c>latent ARGS</c> in <paramref name="workingDirectory"/> and returns at once, for tests that signal or kill it.</summary>
    public static RunningLatent Start(string workingDirectory, params string[] args) =>
        Start(workingDirectory, new Dictionary<string, string>(), args);

    private static RunningLatent Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        Assert.True(File.Exists(CliAssembly), $"{CliAssembly} is missing; build the solution first");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(CliAssembly);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return new RunningLatent(Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}"), args);
    }

    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH), else <c>dotnet</c> from PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}

/// <summary>A <c>latent</c> process started by <see cref="LatentProcess.Start"/>: signal it, kill it, or wait for it.</summary>
internal sealed class RunningLatent : IDisposable
{
    private readonly Process _process;
    private readonly string[] _args;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public RunningLatent(Process process, string[] args)
    {
        _process = process;
        _args = args;
        _process.StandardInput.Close();
        // Both streams are read while the process runs: a full pipe would otherwise block it.
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Sends a POSIX signal (2 SIGINT, 15 SIGTERM), as a terminal's Ctrl+C or a job scheduler does.</summary>
    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0 && !_process.HasExited)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastWin32Error()}");
    }

    /// <summary>Kills the process with SIGKILL, as a crash or an out-of-memory killer would, and waits for it to end.</summary>
    public void Crash()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
        _process.WaitForExit();
    }

    /// <summary>Waits for the process to exit; kills it and fails the test after <paramref name="timeout"/>.</summary>
    public LatentResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            Assert.Fail($"latent {string.Join(" ", _args)} did not finish within {timeout.TotalSeconds:F0} s and was killed\n" +
                        $"--- stdout so far ---\n{_stdout.Result}\n--- stderr so far ---\n{_stderr.Result}");
        }
        _process.WaitForExit(); // lets the redirected streams reach their end
        return new LatentResult(_args, _process.ExitCode, _stdout.Result, _stderr.Result, _clock.Elapsed);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            Crash();
        _process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
