namespace Latent.Cli.Tests;

/// <summary>A run folder written by <c>latent train</c>, with what the command printed.</summary>
/// <param name="Folder">The run folder's absolute path.</param>
/// <param name="Training">The <c>latent train</c> process that wrote it.</param>
internal sealed record TrainedRun(string Folder, LatentResult Training)
{
    /// <summary>The absolute path of a file in the run folder.</summary>
    public string this[string relative] => Path.Combine(Folder, relative);
}
