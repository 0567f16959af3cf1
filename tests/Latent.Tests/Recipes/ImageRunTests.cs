using Latent.Data.Images;
using Latent.Recipes;
using Latent.Tests.Data.Images;
using Latent.Tests.Imaging;

namespace Latent.Tests.Recipes;

public class ImageRunTests(TinyIdxFolder idx) : IClassFixture<TinyIdxFolder>
{
    [Fact]
    public void AVaeRunOnImagesWritesItsPicturesAndTheTestSetElbo()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");
        var preset = Presets.Get("mnist-vae-mlp");
        var recipe = preset with
        {
            Steps = 5, Epochs = null, BatchSize = 16, Seed = 2, Evaluation = new() { Samples = 100, ImportanceSamples = [1, 20], ImportanceImages = null },
            Data = TinyIdxFolder.AsIdx(preset.Data, idx.TenClasses),
            Vae = preset.Vae with { Encoder = new() { Hidden = [32] }, Decoder = new() { Hidden = [32], OutputActivation = "sigmoid" } },
        };

        var result = RecipeRunner.Train(recipe, new RunOptions { OutputFolder = folder });

        Assert.Equal(["test_neg_elbo", "test_neg_elbo_10", "test_recon", "test_kl", "test_nll_iwae_1", "test_nll_iwae_20", "iwae_images"],
                     result.Evaluation.Select(f => f.Key).Take(7));
        Assert.Contains("classifier_fid", result.Evaluation.Select(f => f.Key));
        var figures = result.Evaluation.ToDictionary(f => f.Key, f => f.Value);
        // Bernoulli negative log-likelihood of 784 pixels after 5 steps: positive and finite, and the sum of its two terms.
        Assert.True(double.IsFinite(figures["test_neg_elbo"]) && figures["test_neg_elbo"] > 0, $"test_neg_elbo {figures["test_neg_elbo"]}");
        Assert.True(figures["test_kl"] >= 0, $"test_kl {figures["test_kl"]}");
        Assert.Equal(figures["test_recon"] + figures["test_kl"], figures["test_neg_elbo"], 1e-9);
        // The importance-weighted bound tightens with k: −bound falls from k = 1 to k = 20, over all 30 test images.
        Assert.True(figures["test_nll_iwae_20"] < figures["test_nll_iwae_1"], $"iwae 20 {figures["test_nll_iwae_20"]}, iwae 1 {figures["test_nll_iwae_1"]}");
        Assert.Equal(30, figures["iwae_images"]);
        Assert.Equal(100, figures["samples"]);
        Assert.True(double.IsFinite(figures["test_neg_elbo_10"]) && figures["test_neg_elbo_10"] > 0);
        Assert.Equal(RunFolder.FiguresJson(result.Evaluation), File.ReadAllText(Path.Combine(folder, RunFolder.EvaluationFile)));

        // 10 × 10 samples, 6 interpolation strips of 10, 3 pairs of rows of 10 test images and reconstructions; every cell
        // a 28 × 28 image drawn at twice its size.
        GridLines.AssertGrid(Path.Combine(folder, RunFolder.SamplesFile), rows: 10, columns: 10, cell: 56);
        GridLines.AssertGrid(Path.Combine(folder, RunFolder.InterpolationFile), rows: 6, columns: 10, cell: 56);
        GridLines.AssertGrid(Path.Combine(folder, RunFolder.ReconstructionsFile), rows: 6, columns: 10, cell: 56);
    }

    [Fact]
    public void AConditionalGanRunDrawsOneRowOfSamplesPerClass()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");
        var preset = Presets.Get("mnist-cgan-mlp");
        var recipe = preset with
        {
            Steps = 3, Epochs = null, BatchSize = 8, SampleEvery = 0, Evaluation = new() { Samples = 60, Every = 2, EverySamples = 30 },
            Data = TinyIdxFolder.AsIdx(preset.Data with { ImageSize = 32 }, idx.ThreeClasses, classes: 3),
            Gan = preset.Gan with
            {
                LatentDim = 8, LabelEmbedding = 4, DiscriminatorLabelEmbedding = 16,
                Generator = preset.Gan.Generator with { Hidden = [16] },
                Discriminator = preset.Gan.Discriminator with { Hidden = [16] },
            },
        };

        var result = RecipeRunner.Train(recipe, new RunOptions { OutputFolder = folder });

        // Three classes, three rows of ten; the images are the 28 × 28 digits padded to 32.
        GridLines.AssertGrid(Path.Combine(folder, RunFolder.SamplesFile), rows: 3, columns: 10, cell: 64);
        GridLines.AssertGrid(Path.Combine(folder, RunFolder.InterpolationFile), rows: 6, columns: 10, cell: 64);
        Assert.False(File.Exists(Path.Combine(folder, RunFolder.ReconstructionsFile)));
        // A GAN on images is scored through the classifier; a conditional one also on the classes it was asked for.
        var figures = result.Evaluation.ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal(60, figures["samples"]);
        Assert.Equal(10, figures["real_images"]);
        Assert.InRange(figures["class_accuracy"], 0, 1);
        // Scored during training at step 2 and at the last step, 3, from 30 samples each, without the manifold figures.
        string[] history = File.ReadAllLines(Path.Combine(folder, RunFolder.EvaluationHistoryFile));
        Assert.Equal(2, history.Length);
        Assert.StartsWith("{\"step\":2,\"classifier_fid\":", history[0], StringComparison.Ordinal);
        Assert.StartsWith("{\"step\":3,", history[1], StringComparison.Ordinal);
        Assert.Contains("\"samples\":30,", history[1]);
        Assert.DoesNotContain("classifier_precision", history[1]);
        Assert.True(File.Exists(Path.Combine(folder, RunFolder.EvaluationPlotFile)), "no FID curve");
    }

    [Fact]
    public void ADenoisingAutoencoderIsScoredOnTheTestSplitWithItsOwnCorruption()
    {
        using var root = new TemporaryFolder();
        var preset = Presets.Get("mnist-dae-conv");
        var recipe = preset with { Steps = 4, Epochs = null, BatchSize = 16, Data = TinyIdxFolder.AsIdx(preset.Data, idx.TenClasses) };

        var result = RecipeRunner.Train(recipe, new RunOptions { OutputFolder = Path.Combine(root.Path, "run"), WritePlots = false });

        Assert.Equal(["test_recon", "test_mse", "test_noisy_mse", "test_denoised_mse", "test_denoising_gain"], result.Evaluation.Select(f => f.Key));
        var figures = result.Evaluation.ToDictionary(f => f.Key, f => f.Value);
        // 25% of pixels masked to 0: the masked input's error is a quarter of the mean squared pixel value, far from 0.
        Assert.True(figures["test_noisy_mse"] > 0.01, $"masked MSE {figures["test_noisy_mse"]}");
        Assert.Equal(figures["test_noisy_mse"] / figures["test_denoised_mse"], figures["test_denoising_gain"], 1e-12);
    }

    [Fact]
    public void AnImageRunLoadsBackWithItsData()
    {
        using var root = new TemporaryFolder();
        string folder = Path.Combine(root.Path, "run");
        var preset = Presets.Get("mnist-vae-mlp");
        var recipe = preset with
        {
            Epochs = 1, BatchSize = 16, Seed = 4, Evaluation = new() { Samples = 50, ImportanceSamples = [2] },
            Data = TinyIdxFolder.AsIdx(preset.Data, idx.TenClasses),
            Vae = preset.Vae with { Encoder = new() { Hidden = [16] }, Decoder = new() { Hidden = [16], OutputActivation = "sigmoid" } },
        };

        var result = RecipeRunner.Train(recipe, new RunOptions { OutputFolder = folder, WritePlots = false });
        using var loaded = RecipeRunner.Load(folder);

        // One epoch of 40 images in batches of 16: 3 steps, saved as steps so the run says what ran.
        Assert.Equal(3, result.Recipe.Steps);
        Assert.Null(result.Recipe.Epochs);
        Assert.Equal(3, loaded.Recipe.Steps);
        Assert.Equal(result.Evaluation, RunEvaluator.Evaluate(loaded));
        Assert.Empty(Directory.GetFiles(folder, "*.png"));
    }

    [Fact]
    public void ReconstructionsOfATestSplitSmallerThanThePicturesRowsDrawTheImagesThereAre()
    {
        // Three pairs of rows want 30 test images; this test split has 12. Training is over by the time the picture is
        // drawn, so it must make do with what there is rather than fail the run.
        using var root = new TemporaryFolder();
        var files = TinyImages.WriteIdx(root.Path, trainCount: 20, testCount: 12, classes: 2);
        var preset = Presets.Get("mnist-vae-mlp");
        var recipe = preset with
        {
            Steps = 1, Epochs = null, BatchSize = 10,
            Data = TinyIdxFolder.AsIdx(preset.Data, files, classes: 2),
            Vae = preset.Vae with { Encoder = new() { Hidden = [8] }, Decoder = new() { Hidden = [8], OutputActivation = "sigmoid" } },
        };
        using var built = RecipeBuilder.Build(recipe);
        using var rng = new TorchSharp.torch.Generator(1);
        string path = Path.Combine(root.Path, "reconstructions.png");

        ImageRunPlots.Reconstructions(built.Model, (ImageData)built.Data, rng, path, "small test split");

        var png = PngTestDecoder.Decode(File.ReadAllBytes(path));
        int rows = GridLines.Rows(png);
        Assert.InRange(rows, 2, 6);
        Assert.True(rows % 2 == 0, $"{rows} rows: originals and reconstructions come in pairs");
    }
}
