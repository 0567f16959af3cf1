using Latent.Data;
using Latent.Data.Images;
using Latent.Evaluation;
using Latent.Evaluation.Classifiers;
using Latent.Models;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Recipes;

/// <summary>
/// Scores a trained model on its toy problem with the definitions of bench/WORKLOADS.md: what applies to
/// its family and data (mean, std, exact W1 and KS for 1D; mode coverage and MMD for mixtures;
/// reconstruction error, denoising gain and exact-match rate for autoencoders). On image data: generated images scored
/// with Latent's classifier for the data set (<see cref="ImageQuality"/>: FID, KID, precision/recall, density/coverage,
/// class coverage), a VAE's test negative ELBO and importance-weighted bounds, an autoencoder's held-out reconstruction
/// error and denoising gain.
/// </summary>
/// <remarks>Evaluation draws from its own generator seeded from the recipe's seed, so it is repeatable and leaves the training
/// streams alone. Counts come with the figures: <c>samples</c> generated images against <c>real_images</c> test images,
/// <c>iwae_images</c> for the bounds.</remarks>
public static class RunEvaluator
{
    /// <summary>Samples drawn for 1D statistics.</summary>
    public const int OneDimensionalSamples = 10_000;

    /// <summary>Samples drawn for mode metrics on mixtures (WORKLOADS.md: 2,500).</summary>
    public const int MixtureSamples = 2_500;

    /// <summary>The figures that apply to <paramref name="run"/>, by name, in a stable order.</summary>
    /// <param name="run">A trained (or loaded) run.</param>
    /// <param name="options">Sample count, classifier cache, feature export; the recipe's settings when null.</param>
    public static IReadOnlyList<KeyValuePair<string, double>> Evaluate(BuiltRecipe run, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        options ??= new EvaluationOptions();
        using var scope = NewDisposeScope();
        using var rng = SeededRandom.Derive(run.Recipe.Seed, RandomStream.Evaluation);
        var figures = new List<KeyValuePair<string, double>>();
        void Add(string name, double value) => figures.Add(new(name, value));
        if (run.Data is ImageData images)
        {
            EvaluateImages(run, images, rng, Add);
            if (options.ImageQuality && ImageScorer.Applies(run))
            {
                using var scorer = OpenScorer(run, images, options.Classifiers, options.Log);
                var quality = scorer.Score((ISampler)run.Model, options.Samples ?? run.Recipe.Evaluation.Samples, rng, options.ExportFeatures);
                figures.AddRange(quality.Figures());
            }
            return figures;
        }

        if (run.Model is ISampler sampler)
        {
            if (run.Data.Dimension == 1)
            {
                var samples = sampler.Sample(OneDimensionalSamples, rng).cpu();
                var moments = SampleMoments.Of(samples);
                Add("mean", moments.Mean);
                Add("std", moments.Std);
                if (run.Data is Gaussian1D target)
                {
                    Add("wasserstein1", Wasserstein1D.ToNormal(samples, target.Mean, target.Std));
                    Add("ks", KolmogorovSmirnov.ToNormal(samples, target.Mean, target.Std));
                }
                else
                {
                    double[] generated = ColumnValues.Read(samples, "samples");
                    double[] real = ColumnValues.Read(run.Data.Sample(OneDimensionalSamples, rng), "real");
                    Add("wasserstein1", Wasserstein1D.Between(generated, real));
                    Add("ks", KolmogorovSmirnov.Between(generated, real));
                }
            }
            if (run.Data is IGaussianMixture mixture)
            {
                var samples = sampler.Sample(MixtureSamples, rng).cpu();
                var coverage = ModeCoverage.Measure(samples, mixture);
                Add("modes_covered", coverage.ModesCovered);
                Add("mode_count", coverage.ModeCount);
                Add("high_quality_share", coverage.HighQualityShare);
                Add("mode_kl", coverage.ModeKl);
                // The least-visited mode's share of all samples: 1/K when every mode gets its fair part.
                Add("smallest_mode_share", coverage.HighQualityHistogram.Min() / (double)MixtureSamples);
                var real = run.Data is FixedDataset points ? points.Points : run.Data.Sample(MixtureSamples, rng);
                Add("mmd", MaximumMeanDiscrepancy.GaussianKernel(samples, real));
            }
        }

        if (run.Data is FixedDataset dataset)
        {
            var clean = dataset.Points.to(run.Device);
            switch (run.Model)
            {
                case Autoencoder autoencoder:
                    var reconstruction = autoencoder.Reconstruct(clean);
                    Add("reconstruction_mse", Reconstruction.MeanSquaredError(clean.cpu(), reconstruction.cpu()));
                    if (autoencoder.Corruption is { } corruption)
                    {
                        var noisy = corruption.Apply(clean.cpu(), rng).to(run.Device);
                        var denoised = autoencoder.Reconstruct(noisy);
                        Add("noisy_mse", Reconstruction.MeanSquaredError(clean.cpu(), noisy.cpu()));
                        Add("denoised_mse", Reconstruction.MeanSquaredError(clean.cpu(), denoised.cpu()));
                        Add("denoising_gain", Reconstruction.DenoisingGain(clean.cpu(), noisy.cpu(), denoised.cpu()));
                    }
                    if (run.Data is BinaryPatterns3x3)
                        Add("exact_match_rate", ExactMatch.Rate(clean.cpu(), reconstruction.cpu()));
                    break;
                case VariationalAutoencoder vae:
                    Add("reconstruction_mse", Reconstruction.MeanSquaredError(clean.cpu(), vae.Reconstruct(clean).cpu()));
                    Add("kl", vae.KlDivergenceOf(clean));
                    break;
            }
        }
        return figures;
    }

    /// <summary>
    /// A scorer for <paramref name="run"/>'s images with the classifier for its data set, trained (and cached in
    /// <paramref name="classifiers"/>) the first time, which <paramref name="log"/> is told.
    /// </summary>
    /// <param name="run">A run on image data with classes.</param>
    /// <param name="images">Its data.</param>
    /// <param name="classifiers">The classifier cache; beside the default data store when null.</param>
    /// <param name="log">Where training a classifier is announced and reported.</param>
    public static ImageScorer OpenScorer(BuiltRecipe run, ImageData images, ClassifierStore? classifiers, TextWriter? log)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(images);
        classifiers ??= ClassifierStore.Beside(new DataStore());
        var classifier = classifiers.GetOrTrain(ImageScorer.ClassifierKey(run.Recipe.Data), images.Train, images.Test ?? images.Train, log);
        return new ImageScorer(images, classifier);
    }

    /// <summary>Images per evaluation batch: bounds memory whatever the size of the test split.</summary>
    private const int EvaluationBatch = 1_000;

    /// <summary>Codes per test image in the less noisy ELBO estimate.</summary>
    public const int ElboSamples = 10;

    /// <summary>Test images per pass of the importance-weighted bounds; each pass decodes k codes per image.</summary>
    private const int ImportanceBatch = 100;

    /// <summary>
    /// On the test split (the training split when there is none): a VAE's negative ELBO per image, from one code per
    /// image (<c>test_neg_elbo</c>, the figure PyTorch's example prints) and averaged over <see cref="ElboSamples"/>
    /// (<c>test_neg_elbo_10</c>), with its two terms, and with a Bernoulli decoder the negative importance-weighted
    /// bounds <c>test_nll_iwae_K</c>; an autoencoder's reconstruction loss, squared error and, for a denoising one, the
    /// same corruption's denoising gain. In nats under <c>bce-sum</c>.
    /// </summary>
    private static void EvaluateImages(BuiltRecipe run, ImageData images, Generator rng, Action<string, double> add)
    {
        var split = images.Test ?? images.Train;
        double recon = 0, kl = 0, recon10 = 0, loss = 0, squared = 0, noisySquared = 0, denoisedSquared = 0;
        for (long start = 0; start < split.Count; start += EvaluationBatch)
        {
            using var scope = NewDisposeScope();
            long end = Math.Min(start + EvaluationBatch, split.Count);
            var x = images.Preprocessing.Apply(split.Pixels.slice(0, start, end, 1)).to(run.Device);
            var labels = split.Labels.slice(0, start, end, 1).to(run.Device);
            double weight = (end - start) / (double)split.Count;
            switch (run.Model)
            {
                case VariationalAutoencoder vae:
                    var y = vae.Classes > 0 ? labels : null;
                    var one = vae.EvaluateElbo(x, y, rng);
                    recon += weight * one.Reconstruction;
                    kl += weight * one.Kl;
                    recon10 += weight * vae.EvaluateElbo(x, y, rng, ElboSamples).Reconstruction;
                    break;
                case Autoencoder autoencoder:
                    using (no_grad())
                    {
                        var reconstruction = autoencoder.Reconstruct(x);
                        loss += weight * autoencoder.Loss.Compute(reconstruction, x).to(float64).item<double>();
                        squared += weight * Reconstruction.MeanSquaredError(x, reconstruction);
                        if (autoencoder.Corruption is { } corruption)
                        {
                            var noisy = corruption.Apply(x, rng);
                            noisySquared += weight * Reconstruction.MeanSquaredError(x, noisy);
                            denoisedSquared += weight * Reconstruction.MeanSquaredError(x, autoencoder.Reconstruct(noisy));
                        }
                    }
                    break;
            }
        }
        switch (run.Model)
        {
            case VariationalAutoencoder vae:
                add("test_neg_elbo", recon + kl);
                add("test_neg_elbo_10", recon10 + kl);
                add("test_recon", recon);
                add("test_kl", kl);
                if (vae.Loss == ReconstructionLoss.SumBinaryCrossEntropy && run.Recipe.Evaluation.ImportanceSamples.Length > 0)
                    EvaluateImportanceBounds(run, vae, images, split, rng, add);
                break;
            case Autoencoder autoencoder:
                add("test_recon", loss);
                add("test_mse", squared);
                if (autoencoder.Corruption is not null)
                {
                    add("test_noisy_mse", noisySquared);
                    add("test_denoised_mse", denoisedSquared);
                    add("test_denoising_gain", noisySquared / denoisedSquared);
                }
                break;
        }
    }

    /// <summary>
    /// −(importance-weighted bound) per test image for each k of the recipe (<c>test_nll_iwae_K</c>, nats; at k = 500 the
    /// usual estimate of the negative log-likelihood), over the first <see cref="EvaluationSpec.ImportanceImages"/> test images.
    /// </summary>
    private static void EvaluateImportanceBounds(BuiltRecipe run, VariationalAutoencoder vae, ImageData images, ImageDataset split, Generator rng, Action<string, double> add)
    {
        long count = Math.Min(split.Count, run.Recipe.Evaluation.ImportanceImages ?? split.Count);
        foreach (int k in run.Recipe.Evaluation.ImportanceSamples)
        {
            double bound = 0;
            for (long start = 0; start < count; start += ImportanceBatch)
            {
                using var scope = NewDisposeScope();
                long end = Math.Min(start + ImportanceBatch, count);
                var x = images.Preprocessing.Apply(split.Pixels.slice(0, start, end, 1)).to(run.Device);
                var labels = vae.Classes > 0 ? split.Labels.slice(0, start, end, 1).to(run.Device) : null;
                bound += (end - start) / (double)count * vae.ImportanceWeightedBound(x, labels, k, rng);
            }
            add($"test_nll_iwae_{k}", -bound);
        }
        add("iwae_images", count);
    }
}
