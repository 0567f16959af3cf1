using System.Security.Cryptography;
using Latent.Data.Images;
using Latent.Evaluation;
using Latent.Evaluation.Classifiers;
using Latent.Models;
using static TorchSharp.torch;

namespace Latent.Recipes;

/// <summary>
/// Scores a model's generated images with <see cref="ImageQuality"/> against a data set's test split. It holds the
/// classifier's outputs for the real images, so scoring again during training pays only for the samples.
/// </summary>
/// <remarks>Images reach the classifier as they are stored: [0, 1], unpadded (<see cref="ImageData.ToStoredImages"/>).
/// A conditional model is asked for the classes in turn (0, 1, …, C − 1, 0, …), so every class gets its share.</remarks>
public sealed class ImageScorer : IDisposable
{
    /// <summary>Images per pass through a generator or the classifier: bounds memory whatever the sample count.</summary>
    private const int GenerationBatch = 500;

    private readonly ImageData _images;

    /// <summary>
    /// Binds a data set to its classifier and runs the classifier over the test split (the training split when there is
    /// none). The scorer takes ownership of <paramref name="classifier"/>.
    /// </summary>
    public ImageScorer(ImageData images, TrainedClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(classifier);
        _images = images;
        Classifier = classifier;
        var reference = images.Test ?? images.Train;
        using var scope = NewDisposeScope();
        Real = classifier.Embed(StoredImages(reference, 0, reference.Count));
        // Held across scorings, so out of every caller's dispose scope; Dispose frees them.
        Real.Features.DetachFromDisposeScope();
        Real.Probabilities.DetachFromDisposeScope();
    }

    /// <summary>The classifier whose features and predictions the figures use.</summary>
    public TrainedClassifier Classifier { get; }

    /// <summary>The classifier's outputs for the real reference images.</summary>
    public ClassifierOutputs Real { get; }

    /// <summary>Generates <paramref name="samples"/> images and scores them against the real reference images.</summary>
    /// <param name="model">A GAN's generator or a VAE's decoder behind <see cref="ISampler"/>.</param>
    /// <param name="samples">Images to generate, at least 2.</param>
    /// <param name="rng">Draws the codes and KID's subsets.</param>
    /// <param name="exportFolder">When given, the feature matrices are written there as <c>real.npy</c> and <c>generated.npy</c> (float64).</param>
    /// <param name="manifold">Measure precision, recall, density and coverage too (the slow part).</param>
    public ImageQuality Score(ISampler model, int samples, Generator rng, string? exportFolder = null, bool manifold = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2);
        using var scope = NewDisposeScope();
        var conditional = model as ILatentModel is { Classes: > 0 } latent ? latent : null;
        var asked = conditional is null ? null : arange(samples, dtype: int64).remainder(conditional.Classes);
        var batches = new List<Tensor>();
        for (int start = 0; start < samples; start += GenerationBatch)
        {
            using var batchScope = NewDisposeScope();
            int count = Math.Min(GenerationBatch, samples - start);
            var generated = conditional is null
                ? model.Sample(count, rng)
                : conditional.SampleClasses(asked!.slice(0, start, start + count, 1).to(conditional.Device), rng);
            batches.Add(_images.ToStoredImages(generated).MoveToOuterDisposeScope());
        }
        var outputs = Classifier.Embed(cat(batches, 0));
        Export(exportFolder, outputs);
        return ImageQuality.Measure(Real, outputs, asked, rng, manifold);
    }

    /// <summary>
    /// The floor: <paramref name="samples"/> real training images (drawn without replacement) scored as if generated, against
    /// the test split. A model cannot be expected to beat the figures real images get.
    /// </summary>
    /// <exception cref="InvalidOperationException">The data set has no test split to compare with.</exception>
    /// <param name="samples">Training images to score, at most the split's size.</param>
    /// <param name="rng">Draws the images and KID's subsets.</param>
    /// <param name="exportFolder">As for <see cref="Score"/>, the training images' features as <c>generated.npy</c>.</param>
    public ImageQuality ScoreReal(int samples, Generator rng, string? exportFolder = null)
    {
        if (_images.Test is null)
            throw new InvalidOperationException($"{_images.Train.Name} has no test split: real-versus-real needs two splits");
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2);
        using var scope = NewDisposeScope();
        samples = (int)Math.Min(samples, _images.Train.Count);
        var index = randperm(_images.Train.Count, generator: rng).slice(0, 0, samples, 1);
        var pixels = _images.Train.Pixels.index_select(0, index);
        var outputs = Classifier.Embed(pixels.to(float32) / 255f);
        Export(exportFolder, outputs);
        return ImageQuality.Measure(Real, outputs, askedLabels: null, rng);
    }

    /// <summary>
    /// The name under which the classifier for <paramref name="data"/> is cached: the data set's name, or for IDX files a
    /// digest of their bytes, so that the same files share one classifier and different files never do.
    /// </summary>
    /// <exception cref="InvalidOperationException">The data kind has no classes to learn (random images).</exception>
    public static string ClassifierKey(DataSpec data)
    {
        ArgumentNullException.ThrowIfNull(data);
        switch (data.Kind)
        {
            case "mnist" or "fashion-mnist":
                return data.Kind;
            case "idx":
                using (var sha = SHA256.Create())
                {
                    foreach (string? path in new[] { data.TrainImages, data.TrainLabels })
                    {
                        byte[] bytes = File.ReadAllBytes(path ?? throw new InvalidOperationException("idx data without train_images and train_labels"));
                        sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
                    }
                    sha.TransformFinalBlock([], 0, 0);
                    return "idx-" + Convert.ToHexStringLower(sha.Hash!)[..16];
                }
            default:
                throw new InvalidOperationException($"data.kind \"{data.Kind}\" has no classes to train a classifier on; image quality needs mnist, fashion-mnist or labelled idx files");
        }
    }

    /// <summary>Whether <paramref name="run"/> generates images of a data set with classes, which a classifier can score.</summary>
    public static bool Applies(BuiltRecipe run) =>
        run.Data is ImageData && run.Model is ISampler && run.Recipe.Data.Kind is "mnist" or "fashion-mnist" or "idx";

    private static Tensor StoredImages(ImageDataset set, long start, long end) =>
        set.Pixels.slice(0, start, end, 1).to(float32) / 255f;

    private void Export(string? folder, ClassifierOutputs generated)
    {
        if (folder is null)
            return;
        Directory.CreateDirectory(folder);
        NpyFile.Write(Path.Combine(folder, "real.npy"), Real.Features);
        NpyFile.Write(Path.Combine(folder, "generated.npy"), generated.Features);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Real.Dispose();
        Classifier.Dispose();
    }
}
