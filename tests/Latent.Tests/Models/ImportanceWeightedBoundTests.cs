using Latent.Models;
using Latent.Nets;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

/// <summary>
/// The importance-weighted bound against log p(x) computed exactly: with a one-dimensional latent, p(x) = ∫ p(x|z) N(z; 0, 1) dz
/// is a sum over a fine grid of z, so the bound's defining properties can be checked on numbers, not on their form.
/// </summary>
public class ImportanceWeightedBoundTests
{
    private const int Pixels = 4;

    [Fact]
    public void TheBoundRisesWithKTowardsTheExactLogLikelihoodAndNeverPassesIt()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(4);
        using var vae = BuildVae(random, overWide: true);
        using var scope = NewDisposeScope();
        var x = Examples();
        double exact = ExactLogLikelihood(vae, x);

        double k1 = Enumerable.Range(0, 50).Average(seed => BoundWithSeed(vae, x, 1, seed));
        double k50 = Enumerable.Range(0, 50).Average(seed => BoundWithSeed(vae, x, 50, seed));
        double k5000 = BoundWithSeed(vae, x, 5000, 1);

        // Estimates are noisy (k = 1 and 50 are averaged over 50 seeds), so each claim leaves room for noise: k = 1 sits
        // clearly below log p(x), k = 50 above it, and k = 5,000 on it; in expectation no k passes log p(x).
        Assert.True(exact - k1 > 1, $"mean k=1 gives {k1}, within 1 nat of the exact {exact}: the over-wide encoder should leave a gap of about 2");
        Assert.True(k50 > k1, $"mean k=50 gives {k50}, not above k=1's {k1}");
        Assert.True(Math.Abs(exact - k5000) < 0.01, $"k=5000 gives {k5000}; the exact log p(x) is {exact}");
        Assert.True(k50 < exact + 0.005, $"mean k=50 gives {k50}, above the exact log p(x) {exact}");
    }

    [Fact]
    public void WithOneCodeTheBoundIsTheElboOnAverage()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(4);
        using var vae = BuildVae(random);
        using var scope = NewDisposeScope();
        var x = Examples();

        var (reconstruction, kl) = vae.EvaluateElbo(x, null, new Generator(2), samples: 4000);
        double meanBound = Enumerable.Range(0, 400).Average(seed => BoundWithSeed(vae, x, 1, seed));

        Assert.True(Math.Abs(meanBound - -(reconstruction + kl)) < 0.03, $"mean of 400 k=1 bounds {meanBound}; ELBO −{reconstruction + kl}");
    }

    [Fact]
    public void ABatchTooLargeForOnePassGivesTheSameExpectedBound()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(4);
        using var vae = BuildVae(random);
        using var scope = NewDisposeScope();
        // 1,000 copies of the examples are 4,000 rows: 12 codes take three passes of at most 20,000 decoder rows. Both
        // sides estimate the same expectation; averaging over 1,000 copies and over 300 seeds leaves little noise.
        double chunked = vae.ImportanceWeightedBound(Examples().repeat(1000, 1), null, 12, new Generator(3));
        double onePass = Enumerable.Range(0, 300).Average(seed => BoundWithSeed(vae, Examples(), 12, seed));

        Assert.True(Math.Abs(chunked - onePass) < 0.05, $"bound over 1,000 copies in passes {chunked}; mean over 300 single passes {onePass}");
    }

    [Fact]
    public void ALossThatIsNotALogLikelihoodIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(4);
        var encoder = new Mlp(new MlpSpec([Pixels, 8, 2]));
        var decoder = new Mlp(new MlpSpec([1, 8, Pixels], Output: Activation.Sigmoid));
        using var vae = new VariationalAutoencoder(encoder, decoder, optim.Adam(encoder.parameters().Concat(decoder.parameters())), 1,
                                                   ReconstructionLoss.SumSquaredError, random.Noise);
        using var scope = NewDisposeScope();

        var error = Assert.Throws<InvalidOperationException>(() => vae.ImportanceWeightedBound(Examples(), null, 5, new Generator(1)));
        Assert.Contains("bce-sum", error.Message);
    }

    private static double BoundWithSeed(VariationalAutoencoder vae, Tensor x, int samples, int seed)
    {
        using var rng = new Generator((ulong)seed);
        return vae.ImportanceWeightedBound(x, null, samples, rng);
    }

    /// <summary>An untrained VAE; with <paramref name="overWide"/>, its encoder answers q(z|x) = N(0, e²) for every x: wider
    /// than any posterior, so the ELBO leaves a gap of about KL(N(0, e²) ‖ N(0, 1)) ≈ 2.2 nats while importance weights stay bounded.</summary>
    private static VariationalAutoencoder BuildVae(SeededRandom random, bool overWide = false)
    {
        var encoder = new Mlp(new MlpSpec([Pixels, 16, 2]));
        if (overWide)
        {
            var (lastWeight, lastBias) = (encoder.parameters().SkipLast(1).Last(), encoder.parameters().Last());
            using (no_grad())
            {
                lastWeight.zero_();
                lastBias.copy_(tensor(new float[] { 0, 2 }));
            }
        }
        var decoder = new Mlp(new MlpSpec([1, 16, Pixels], Output: Activation.Sigmoid));
        return new VariationalAutoencoder(encoder, decoder, optim.Adam(encoder.parameters().Concat(decoder.parameters())), 1,
                                          ReconstructionLoss.SumBinaryCrossEntropy, random.Noise);
    }

    /// <summary>Four binary and grey examples of four pixels.</summary>
    private static Tensor Examples() => tensor(new float[,] { { 1, 0, 1, 0 }, { 0, 0, 1, 1 }, { 0.2f, 0.9f, 0.5f, 0.1f }, { 1, 1, 1, 1 } });

    /// <summary>log p(x) averaged over the batch, by the rectangle rule over z ∈ [−10, 10]: the prior's mass outside is below 1e-22.</summary>
    private static double ExactLogLikelihood(VariationalAutoencoder vae, Tensor x)
    {
        const int points = 20_001;
        var z = linspace(-10, 10, points, dtype: float32).unsqueeze(1);
        var decoded = vae.Decode(z).to(float64); // (points, pixels)
        var targets = x.to(float64);
        // log p(x|z) for every (example, z): Σ_j x_j log d_j + (1 − x_j) log(1 − d_j).
        var logLikelihood = targets.matmul(decoded.log().T) + (1 - targets).matmul((1 - decoded).log().T); // (examples, points)
        var logPrior = -0.5 * z.to(float64).squeeze(1).pow(2) - 0.5 * Math.Log(2 * Math.PI);
        double logWidth = Math.Log(20.0 / (points - 1));
        return ((logLikelihood + logPrior).logsumexp(1) + logWidth).mean().item<double>();
    }
}
