namespace Latent.Cli.Tests;

/// <summary>
/// Image runs trained once by <c>latent train</c> on tiny IDX files (16 × 16 bars in 3 classes, 40 training and 40 test
/// images) and shared by the tests of the image commands: a VAE and a conditional GAN. Each is trained on first use.
/// </summary>
public sealed class ImageRuns : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly Lazy<TrainedRun> _vae;
    private readonly Lazy<TrainedRun> _conditionalGan;

    public ImageRuns()
    {
        Train = TinyIdx.Write(_folder.Path, "train", count: 40, classes: 3, side: 16);
        Test = TinyIdx.Write(_folder.Path, "test", count: 40, classes: 3, side: 16);
        _vae = new(() => TrainRun("vae", TinyIdx.Recipe("vae", Train, Test, classes: 3), "5"));
        _conditionalGan = new(() => TrainRun("cgan", TinyIdx.Recipe("cgan", Train, Test, classes: 3), "3"));
    }

    /// <summary>The training images and labels.</summary>
    internal (string Images, string Labels) Train { get; }

    /// <summary>The test images and labels.</summary>
    internal (string Images, string Labels) Test { get; }

    /// <summary><c>latent train vae.json --steps 5</c>: an MLP VAE.</summary>
    internal TrainedRun Vae => _vae.Value;

    /// <summary><c>latent train cgan.json --steps 3</c>: a conditional MLP GAN over the 3 classes.</summary>
    internal TrainedRun ConditionalGan => _conditionalGan.Value;

    public void Dispose() => _folder.Dispose();

    private TrainedRun TrainRun(string name, string recipe, string steps)
    {
        File.WriteAllText(_folder[name + ".json"], recipe);
        string[] args = ["train", name + ".json", "--steps", steps, "--out", name, "--quiet", "--threads", "1"];
        var training = LatentProcess.Run(_folder.Path, args).ShouldExitWith(ExitCodes.Success);
        return new TrainedRun(_folder[name], training);
    }
}
