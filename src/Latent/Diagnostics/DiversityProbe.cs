using Latent.Data;
using Latent.Data.Images;
using Latent.Evaluation;
using Latent.Evaluation.Classifiers;
using Latent.Models;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Diagnostics;

/// <summary>
/// Measures the diversity of a model's samples during training without changing the run: mean pairwise distance against
/// real data's, the mode histogram on a Gaussian mixture, the class histogram on images when a classifier is at hand.
/// </summary>
/// <remarks>
/// Every measurement draws from its own generator, derived afresh from the run's seed (<see cref="RandomStream.Health"/>):
/// never from the model's noise stream, the data stream or libtorch's global generator. So the same latent codes are
/// decoded each time (a change in the figures is the model's, not the draw's), and the run's numbers are the same with or
/// without the probe. Sampling goes through <see cref="ISampler.Sample"/>: evaluation mode (dropout off, BatchNorm's running
/// statistics untouched), no gradients, training mode restored.
/// </remarks>
public sealed class DiversityProbe : IDisposable
{
    /// <summary>Rows per pass through the classifier.</summary>
    private const int ClassifierBatch = 500;

    private readonly ISampler _model;
    private readonly IDataSource _data;
    private readonly TrainedClassifier? _classifier;

    /// <summary>Creates the probe and measures the real data's spread once.</summary>
    /// <param name="model">The model being trained.</param>
    /// <param name="data">Its training data; real examples are drawn from it with the probe's own generator.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="samples">Samples per measurement, at least 2; default 500 (a pairwise mean over 124,750 pairs).</param>
    /// <param name="classifier">A classifier for the data's images, for the class histogram; none when null. The probe takes ownership.</param>
    public DiversityProbe(ISampler model, IDataSource data, long seed, int samples = 500, TrainedClassifier? classifier = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2);
        if (classifier is not null && data is not ImageData)
            throw new ArgumentException($"a classifier reads images; the data is {data.GetType().Name}", nameof(classifier));
        _model = model;
        _data = data;
        Seed = seed;
        _classifier = classifier;
        Samples = ProbeSamples.AtMost(samples, data);
        using var scope = NewDisposeScope();
        using var rng = SeededRandom.Derive(seed, RandomStream.Health);
        RealSpread = Spread(data.Sample(Samples, rng));
    }

    /// <summary>The run's seed, from which every measurement's generator is derived.</summary>
    public long Seed { get; }

    /// <summary>Samples per measurement: the requested count, or the size of a smaller fixed set or image split.</summary>
    public int Samples { get; }

    /// <summary>The mean pairwise distance of <see cref="Samples"/> real examples.</summary>
    public double RealSpread { get; }

    /// <summary>Whether class histograms are measured.</summary>
    public bool HasClassifier => _classifier is not null;

    /// <summary>Samples the model and measures its diversity.</summary>
    public DiversityReading Measure()
    {
        using var scope = NewDisposeScope();
        // A fresh generator each time: the same codes are decoded at every measurement, and the run's streams are untouched.
        using var rng = SeededRandom.Derive(Seed, RandomStream.Health);
        var samples = _model.Sample(Samples, rng).detach().cpu();
        double spread = Spread(samples);
        var modes = _data is IGaussianMixture mixture ? ModeCoverage.Measure(samples.flatten(1), mixture) : null;
        long[]? classes = null;
        if (_classifier is not null && _data is ImageData images)
        {
            var probabilities = _classifier.Embed(images.ToStoredImages(samples), ClassifierBatch).Probabilities;
            classes = ClassDistribution.Histogram(probabilities);
        }
        return new DiversityReading(Samples, spread, RealSpread, modes, classes);
    }

    /// <summary>The mean distance between two distinct rows of <paramref name="examples"/> (flattened), in float64.</summary>
    internal static double Spread(Tensor examples)
    {
        using var scope = NewDisposeScope();
        var rows = examples.detach().flatten(1).to(float64).cpu();
        long n = rows.shape[0];
        // The diagonal is 0, so the sum over all pairs divided by n(n − 1) is the mean over distinct pairs. The matrix-product
        // form is ~20 times faster on images; its rounding (relative 1e-16 in float64) is nothing to a ratio judged at 0.5.
        var distances = cdist(rows, rows, compute_mode: TorchSharp.compute_mode.use_mm_for_euclid_dist);
        return distances.sum().item<double>() / (n * (n - 1));
    }

    /// <inheritdoc />
    public void Dispose() => _classifier?.Dispose();
}
