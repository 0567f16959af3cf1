namespace Latent.Cli.Tests;

/// <summary>
/// A test of the <c>latent</c> command: each test gets its own empty working folder, deleted afterwards,
/// and runs the command there as a separate process.
/// </summary>
public abstract class CliTest : IDisposable
{
    private protected CliTest()
    {
        Folder = new TemporaryFolder();
    }

    /// <summary>The test's working folder.</summary>
    private protected TemporaryFolder Folder { get; }

    /// <summary>Runs <c>latent ARGS</c> in the test's working folder.</summary>
    private protected LatentResult Latent(params string[] args) => LatentProcess.Run(Folder.Path, args);

    /// <summary>
    /// Runs <c>latent ARGS</c> and asserts it is refused as bad input: exit code 2, nothing on standard output,
    /// exactly one line on standard error, starting "latent:", with no stack trace and every one of <paramref name="mentions"/>;
    /// and not one file or folder created, deleted or changed in the working folder.
    /// </summary>
    private protected LatentResult AssertBadInput(string[] args, params string[] mentions)
    {
        var before = Folder.Snapshot();

        var result = Latent(args);

        result.ShouldExitWith(ExitCodes.BadInput);
        Assert.True(result.Stderr.Split('\n').All(l => !l.StartsWith("   at ", StringComparison.Ordinal)), $"stack trace on stderr\n{result}");
        Assert.True(result.StderrLines.Length == 1, $"expected one line on stderr, got {result.StderrLines.Length}\n{result}");
        string message = result.StderrLines[0];
        Assert.StartsWith("latent:", message, StringComparison.Ordinal);
        foreach (string mention in mentions)
            Assert.True(message.Contains(mention, StringComparison.Ordinal), $"the message does not mention \"{mention}\": {message}");
        Assert.True(result.Stdout.Length == 0, $"bad input printed to stdout\n{result}");
        Assert.Equal(before, Folder.Snapshot());
        return result;
    }

    public void Dispose()
    {
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }
}
