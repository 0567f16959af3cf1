namespace Latent.Cli.Tests;

/// <summary>
/// Runs trained once for the whole suite and shared by the tests that read them (eval, sample, the run folder's layout).
/// Each is trained on first use, so a test run filtered to one class trains only what it needs.
/// </summary>
/// <remarks>
/// Trainings pass <c>--threads 1</c>: the nets are tiny, and on a shared CPU libtorch's default of one thread
/// per core makes them many times slower, not faster.
/// </remarks>
public sealed class TrainedRuns : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly Lazy<TrainedRun> _gan1d;
    private readonly Lazy<TrainedRun> _ring;
    private readonly Lazy<TrainedRun> _autoencoder;

    public TrainedRuns()
    {
        _gan1d = new(() => Train("run1", "gan1d", "--steps", "200"));
        _ring = new(() => Train("ring", "wgangp8g", "--steps", "30"));
        _autoencoder = new(() => Train("ae", "ae2d", "--steps", "50"));
    }

    /// <summary><c>latent train gan1d --steps 200 --out run1 --quiet</c>: the 1D GAN.</summary>
    internal TrainedRun Gan1d => _gan1d.Value;

    /// <summary><c>latent train wgangp8g --steps 30 --out ring --quiet</c>: a 2D mixture (far from trained, but complete).</summary>
    internal TrainedRun Ring => _ring.Value;

    /// <summary><c>latent train ae2d --steps 50 --out ae --quiet</c>: an autoencoder, which reconstructs but does not generate.</summary>
    internal TrainedRun Autoencoder => _autoencoder.Value;

    /// <summary>The folder the runs were trained in (the working folder of their <c>latent train</c>).</summary>
    internal string Path => _folder.Path;

    public void Dispose() => _folder.Dispose();

    private TrainedRun Train(string output, string preset, params string[] options)
    {
        string[] args = ["train", preset, .. options, "--out", output, "--quiet", "--threads", "1"];
        var training = LatentProcess.Run(_folder.Path, args).ShouldExitWith(ExitCodes.Success);
        return new TrainedRun(_folder[output], training);
    }
}
