namespace Latent.Cli.Tests;

/// <summary>What one run of the <c>latent</c> command left: its exit code and everything it printed.</summary>
/// <param name="Arguments">The command line after <c>latent</c>, for failure messages.</param>
/// <param name="ExitCode">The process exit code (see <c>ExitCodes</c>).</param>
/// <param name="Stdout">Standard output, as written.</param>
/// <param name="Stderr">Standard error, as written.</param>
/// <param name="Elapsed">Wall time from start to exit.</param>
internal sealed record LatentResult(IReadOnlyList<string> Arguments, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>The non-empty lines of standard output.</summary>
    public string[] StdoutLines => Lines(Stdout);

    /// <summary>The non-empty lines of standard error.</summary>
    public string[] StderrLines => Lines(Stderr);

    /// <summary>Asserts the exit code, showing the command line and both streams when it differs.</summary>
    public LatentResult ShouldExitWith(int expected)
    {
        Assert.True(ExitCode == expected, $"expected exit code {expected}, got {ExitCode}\n{this}");
        return this;
    }

    /// <summary>The command line, exit code and both streams, for failure messages.</summary>
    public override string ToString() =>
        $"latent {string.Join(" ", Arguments)}  (exit {ExitCode}, {Elapsed.TotalSeconds:F1} s)\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    private static string[] Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToArray();
}
