namespace Latent.Tests.Evaluation;

/// <summary>What a Python process printed and how it exited.</summary>
internal sealed record PythonResult(int ExitCode, string Stdout, string Stderr);
