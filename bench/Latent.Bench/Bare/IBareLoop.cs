namespace Latent.Bench.Bare;

/// <summary>
/// A workload's training step written as plainly as TorchSharp allows: the floor for what Latent adds.
/// The caller opens a dispose scope around each <see cref="Step"/>; a bare loop reads no figures back.
/// </summary>
internal interface IBareLoop : IDisposable
{
    /// <summary>One training step (for a GAN: its critic updates and one generator update).</summary>
    void Step();
}

/// <summary>Builds the bare loop of a workload by its WORKLOADS.md name.</summary>
internal static class BareLoops
{
    public static IBareLoop Create(string workload, long seed) => workload switch
    {
        "gan8g" or "wgan8g" or "wgangp8g" or "gan1d" => new BareToyGan(workload, seed),
        "ae2d" or "vae2d" => new BareToyAutoencoder(workload, seed),
        "mnist-gan-mlp" => new BareMlpGan(seed),
        "mnist-dcgan" or "dcgan64" => new BareDcgan(workload, seed),
        "mnist-vae-mlp" => new BareMnistVae(seed),
        _ => throw new ArgumentException($"no bare loop for workload '{workload}'", nameof(workload)),
    };
}
