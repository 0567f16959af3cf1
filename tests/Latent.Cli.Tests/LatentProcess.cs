using System.Diagnostics;
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

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.StandardInput.Close();
        // Both streams are read while the process runs: a full pipe would otherwise block it.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"latent {string.Join(" ", args)} did not finish within {timeout.TotalSeconds:F0} s and was killed\n" +
                        $"--- stdout so far ---\n{stdout.Result}\n--- stderr so far ---\n{stderr.Result}");
        }
        process.WaitForExit(); // lets the redirected streams reach their end
        return new LatentResult(args, process.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }

    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH), else <c>dotnet</c> from PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
