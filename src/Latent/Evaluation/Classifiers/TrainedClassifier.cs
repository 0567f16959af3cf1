using Latent.Data.Images;
using static TorchSharp.torch;

namespace Latent.Evaluation.Classifiers;

/// <summary>
/// An <see cref="ImageClassifier"/> trained on one data set, with what is known about it (its recipe, its test accuracy,
/// where it is cached), and batched inference over any number of images.
/// </summary>
/// <remarks>
/// Made by <see cref="ClassifierTraining.Train"/> or loaded by <see cref="ClassifierStore"/>. It owns <see cref="Net"/>,
/// which stays in eval mode: BatchNorm uses its running statistics and dropout is off, so an image's features do not
/// depend on the batch it comes in.
/// </remarks>
public sealed class TrainedClassifier : IDisposable
{
    // Pixels a little outside [0, 1] are float rounding, as in (x + 1) / 2 from a tanh; anything more is the wrong range.
    private const double RangeTolerance = 1e-3;

    internal TrainedClassifier(ImageClassifier net, string dataSet, double testAccuracy, ClassifierRecipe recipe,
                               long trainImages, long testImages, DateTime trainedUtc, string? folder = null)
    {
        Net = net;
        DataSet = dataSet;
        TestAccuracy = testAccuracy;
        Recipe = recipe;
        TrainImages = trainImages;
        TestImages = testImages;
        TrainedUtc = trainedUtc;
        Folder = folder;
        net.eval();
    }

    /// <summary>The network, in eval mode; owned by this object.</summary>
    public ImageClassifier Net { get; }

    /// <summary>The data set it was trained on (<c>mnist</c>), the key it is cached under.</summary>
    public string DataSet { get; }

    /// <summary>The fraction of the test split classified right, measured once after training, in [0, 1].</summary>
    public double TestAccuracy { get; }

    /// <summary>The recipe it was trained with.</summary>
    public ClassifierRecipe Recipe { get; }

    /// <summary>The folder it is cached in, or null for one that was trained and not stored.</summary>
    public string? Folder { get; internal set; }

    /// <summary>The number of training images it learned from.</summary>
    public long TrainImages { get; }

    /// <summary>The number of test images <see cref="TestAccuracy"/> was measured on.</summary>
    public long TestImages { get; }

    /// <summary>When training ended, in UTC.</summary>
    public DateTime TrainedUtc { get; }

    /// <summary>The width of the features <see cref="Embed"/> returns (<see cref="ImageClassifier.FeatureDim"/>).</summary>
    public int FeatureDim => Net.FeatureDim;

    /// <summary>The features and class probabilities of <paramref name="images"/>, computed in batches without gradients.</summary>
    /// <param name="images">(N, C, H, W) floating-point, pixels in [0, 1] (stored bytes scaled by 1/255, or a sigmoid's output; map a tanh's with (x + 1) / 2), on any device; N may be 0.</param>
    /// <param name="batchSize">Images per forward pass, at least 1; bounds the memory of the activations. Default 500.</param>
    /// <returns>float64 features (N, <see cref="FeatureDim"/>) and probabilities (N, Classes) on the CPU, owned by the caller.</returns>
    /// <exception cref="ArgumentException">The images are not (N, C, H, W) of the classifier's size, not floating-point, or not in [0, 1].</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    public ClassifierOutputs Embed(Tensor images, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        CheckImages(images);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Net.eval();
        long count = images.shape[0];
        var device = Net.parameters().First().device;
        var features = empty([count, FeatureDim], float64);
        var probabilities = empty([count, Net.Classes], float64);
        for (long start = 0; start < count; start += batchSize)
        {
            using var batchScope = NewDisposeScope();
            long end = Math.Min(start + batchSize, count);
            var batch = images.slice(0, start, end, 1).to(float32).to(device);
            var batchFeatures = Net.Features(batch);                         // (B, F)
            var batchProbabilities = Net.Classify(batchFeatures).softmax(1); // (B, Classes)
            features.slice(0, start, end, 1).copy_(batchFeatures.cpu().to(float64));
            probabilities.slice(0, start, end, 1).copy_(batchProbabilities.cpu().to(float64));
        }
        return new ClassifierOutputs(features.MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }

    /// <summary>The fraction of <paramref name="images"/> whose most probable class is their label.</summary>
    /// <param name="images">A labelled set of the classifier's image size and class count, such as a test split.</param>
    /// <param name="batchSize">Images per forward pass, at least 1. Default 500.</param>
    /// <exception cref="ArgumentException">The set's image size or class count differs from the classifier's.</exception>
    public double Accuracy(ImageDataset images, int batchSize = 500) => ClassifierTraining.Accuracy(Net, images, batchSize);

    /// <summary>The data set, the test accuracy and where it is cached (<c>mnist classifier: 99.21% test accuracy, cached in …</c>).</summary>
    public override string ToString() =>
        $"{DataSet} classifier: {(TestAccuracy * 100).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}% test accuracy on {TestImages} images{(Folder is null ? "" : $", cached in {Folder}")}";

    /// <summary>Frees the network.</summary>
    public void Dispose() => Net.Dispose();

    private void CheckImages(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != Net.Channels || images.shape[2] != Net.Height || images.shape[3] != Net.Width)
            throw new ArgumentException(
                $"images [{string.Join(", ", images.shape)}]; expected [N, {Net.Channels}, {Net.Height}, {Net.Width}], the size of {DataSet}'s images",
                nameof(images));
        if (!images.is_floating_point())
            throw new ArgumentException($"images are {images.dtype}; expected floating-point pixels in [0, 1] (divide stored bytes by 255)", nameof(images));
        if (images.numel() == 0)
            return;
        using var scope = NewDisposeScope();
        double low = images.min().to(float64).item<double>();
        double high = images.max().to(float64).item<double>();
        if (!(low >= -RangeTolerance && high <= 1 + RangeTolerance))
            throw new ArgumentException(
                $"images range over [{low:g4}, {high:g4}]; expected pixels in [0, 1] (map a tanh's [-1, 1] with (x + 1) / 2)", nameof(images));
    }
}
