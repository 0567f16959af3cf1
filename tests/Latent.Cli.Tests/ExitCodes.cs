namespace Latent.Cli.Tests;

/// <summary>The exit codes of <c>latent</c>, as documented in src/Latent.Cli/ExitCodes.cs (internal there).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int NoEngine = 3;
    public const int Interrupted = 130;
}
