namespace Latent.Cli;

/// <summary>The command line is wrong: an unknown option, a missing value, a value that does not parse.</summary>
internal sealed class UsageException(string message) : Exception(message);
