using Latent.Data;
using Latent.Data.Images;
using Latent.Evaluation;
using Latent.Models;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Recipes;

/// <summary>
/// Scores a trained model on its toy problem with the definitions of bench/WORKLOADS.md: what applies to
/// its family and data (mean, std, exact W1 and KS for 1D; mode coverage and MMD for mixtures;
/// reconstruction error, denoising gain and exact-match rate for autoencoders), and on image data the test-set
/// negative ELBO of a VAE and reconstruction error of an autoencoder.
/// </summary>
/// <remarks>Evaluation draws from its own generator seeded from the recipe's seed, so it is repeatable and leaves the training streams alone.</remarks>
public static class RunEvaluator
{
    /// <summary>Samples drawn for 1D statistics.</summary>
    public const int OneDimensionalSamples = 10_000;

    /// <summary>Samples drawn for mode metrics on mixtures (WORKLOADS.md: 2,500).</summary>
    public const int MixtureSamples = 2_500;

    /// <summary>The figures that apply to <paramref name="run"/>, by name, in a stable order.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Evaluate(BuiltRecipe run)
    {
        using var scope = NewDisposeScope();
        using var rng = SeededRandom.Derive(run.Recipe.Seed, RandomStream.Evaluation);
        var figures = new List<KeyValuePair<string, double>>();
        void Add(string name, double value) => figures.Add(new(name, value));
        if (run.Data is ImageData images)
        {
            EvaluateImages(run, images, rng, Add);
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

    /// <summary>Images per evaluation batch: bounds memory whatever the size of the test split.</summary>
    private const int EvaluationBatch = 1_000;

    /// <summary>Codes per test image in the less noisy ELBO estimate.</summary>
    public const int ElboSamples = 10;

    /// <summary>
    /// On the test split (the training split when there is none): a VAE's negative ELBO per image, from one code per
    /// image (<c>test_neg_elbo</c>, the figure PyTorch's example prints) and averaged over <see cref="ElboSamples"/>
    /// (<c>test_neg_elbo_10</c>), with its two terms; an autoencoder's reconstruction loss. In nats under <c>bce-sum</c>.
    /// </summary>
    private static void EvaluateImages(BuiltRecipe run, ImageData images, Generator rng, Action<string, double> add)
    {
        var split = images.Test ?? images.Train;
        double recon = 0, kl = 0, recon10 = 0, loss = 0;
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
                        loss += weight * autoencoder.Loss.Compute(autoencoder.Reconstruct(x), x).to(float64).item<double>();
                    break;
            }
        }
        switch (run.Model)
        {
            case VariationalAutoencoder:
                add("test_neg_elbo", recon + kl);
                add("test_neg_elbo_10", recon10 + kl);
                add("test_recon", recon);
                add("test_kl", kl);
                break;
            case Autoencoder:
                add("test_recon", loss);
                break;
        }
    }
}
