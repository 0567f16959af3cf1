using Latent.Data;
using Latent.Data.Images;
using Latent.Models;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Diagnostics;

/// <summary>
/// Measures a GAN critic's input-gradient norm ‖∇ₓD(x̂)‖ at x̂ = εx + (1 − ε)G(z), ε ~ U[0, 1], between real and
/// generated examples: where WGAN-GP asks the norm to be 1, and the direct reading of whether a Wasserstein critic is
/// still 1-Lipschitz (a parameter-gradient norm is not).
/// </summary>
/// <remarks>
/// Draws real examples, latent codes and ε from its own generator, derived afresh from the run's seed
/// (<see cref="RandomStream.Health"/>), so the same points are measured each time and the run's streams are untouched.
/// The critic runs in evaluation mode (dropout off; BatchNorm and spectral-norm statistics untouched) and is put back in
/// its mode; <c>autograd.grad</c> differentiates with respect to x̂ only, so no parameter's <c>.grad</c> changes.
/// </remarks>
public sealed class CriticSlopeProbe
{
    private readonly Gan _gan;
    private readonly IDataSource _data;

    /// <summary>Creates the probe.</summary>
    /// <param name="gan">The GAN whose critic is measured; a conditional one needs labelled image data.</param>
    /// <param name="data">Its training data.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="samples">Points per measurement, at least 1; default 256.</param>
    public CriticSlopeProbe(Gan gan, IDataSource data, long seed, int samples = 256)
    {
        ArgumentNullException.ThrowIfNull(gan);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        if (gan.Classes > 0 && data is not ImageData)
            throw new ArgumentException($"a conditional critic needs labelled examples; {data.GetType().Name} has no labels", nameof(data));
        _gan = gan;
        _data = data;
        Seed = seed;
        Samples = ProbeSamples.AtMost(samples, data);
    }

    /// <summary>The run's seed.</summary>
    public long Seed { get; }

    /// <summary>Points per measurement: the requested count, or the size of a smaller fixed set or image split.</summary>
    public int Samples { get; }

    /// <summary>Measures the critic's slope at the interpolates.</summary>
    public CriticSlopeReading Measure()
    {
        using var scope = NewDisposeScope();
        using var rng = SeededRandom.Derive(Seed, RandomStream.Health);
        Tensor real;
        Tensor? labels = null;
        if (_data is ImageData images)
            (real, labels) = images.SampleWithLabels(Samples, rng);
        else
            real = _data.Sample(Samples, rng);
        real = real.to(_gan.Device);
        Tensor fake;
        if (_gan.Classes > 0)
        {
            labels = labels!.to(_gan.Device);
            fake = _gan.SampleClasses(labels, rng);
        }
        else
        {
            labels = null;
            fake = _gan.Sample(Samples, rng);
        }
        fake = fake.reshape(real.shape).to(real.dtype);
        var epsilonShape = Enumerable.Repeat(1L, (int)real.dim()).ToArray();
        epsilonShape[0] = real.shape[0];
        var epsilon = rand(epsilonShape, dtype: real.dtype, generator: rng).to(_gan.Device);

        var critic = _gan.Discriminator;
        bool wasTraining = critic.training;
        critic.train(false);
        try
        {
            using var gradients = enable_grad();
            var mixed = (epsilon * real + (1 - epsilon) * fake).detach().requires_grad_(true);
            var scores = NetworkCall.Invoke(critic, mixed, labels);
            var gradient = autograd.grad([scores.sum()], [mixed])[0];
            double[] norms = gradient.detach().flatten(1).to(float64).square().sum(1).sqrt().cpu().data<double>().ToArray();
            Array.Sort(norms);
            int middle = norms.Length / 2;
            double median = norms.Length % 2 == 1 ? norms[middle] : (norms[middle - 1] + norms[middle]) / 2;
            return new CriticSlopeReading(norms.Average(), median, norms[^1]);
        }
        finally
        {
            critic.train(wasTraining);
        }
    }
}
