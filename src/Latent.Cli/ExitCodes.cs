namespace Latent.Cli;

/// <summary>The process exit codes of <c>latent</c>, documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>Training failed while running (a NaN loss, a file that could not be written).</summary>
    public const int Failure = 1;

    /// <summary>Bad input: command line, recipe, preset name, run folder or its checkpoint. Nothing was trained or written.</summary>
    public const int BadInput = 2;

    /// <summary>libtorch could not be loaded on this machine.</summary>
    public const int NoEngine = 3;

    /// <summary>Stopped by Ctrl+C or SIGTERM after finishing the current step and writing a checkpoint; resumable.</summary>
    public const int Interrupted = 130;
}
