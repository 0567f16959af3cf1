namespace Latent.Bench.Speed;

/// <summary>A workload of WORKLOADS.md as the speed benchmark runs it.</summary>
/// <param name="Name">The preset name.</param>
/// <param name="Toy">Toy data (overhead-bound; Latent's default is 1 thread) rather than images (all cores).</param>
/// <param name="Warmup">Steps before the clock starts (optimizer state, allocator, oneDNN primitives).</param>
/// <param name="MinSteps">Fewest timed steps, even past the time budget.</param>
internal sealed record Workload(string Name, bool Toy, int Warmup, int MinSteps)
{
    public static readonly IReadOnlyList<Workload> All =
    [
        new("gan8g", true, 200, 200),
        new("wgan8g", true, 50, 50),
        new("wgangp8g", true, 50, 50),
        new("gan1d", true, 100, 100),
        new("ae2d", true, 300, 300),
        new("vae2d", true, 300, 300),
        new("mnist-gan-mlp", false, 10, 20),
        new("mnist-vae-mlp", false, 10, 20),
        new("mnist-dcgan", false, 3, 3),
        new("dcgan64", false, 2, 2),
    ];

    public static readonly IReadOnlyList<string> Quick = ["gan8g", "wgangp8g", "mnist-vae-mlp"];

    public static Workload Get(string name) =>
        All.FirstOrDefault(w => w.Name == name) ?? throw new ArgumentException($"unknown workload '{name}'; expected one of {string.Join(", ", All.Select(w => w.Name))}");
}
