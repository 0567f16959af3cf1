using System.Diagnostics;
using System.Globalization;
using Latent.Data.Images;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Evaluation.Classifiers;

/// <summary>Trains an <see cref="ImageClassifier"/> on a labelled training split and measures it on the test split.</summary>
/// <remarks>
/// <para>The loop is the textbook one: for each batch, logits → cross-entropy → zero_grad, backward, AdamW step, with the
/// learning rate set from the step by <see cref="ClassifierRecipe"/>'s cosine. Each step runs in its own dispose scope;
/// the loss is read only when a progress line is written (four per epoch and the last step).</para>
/// <para>Batches come from <see cref="ImageBatches"/> over the stored bytes, converted to [0, 1] a batch at a time, so no
/// float copy of the data set is ever held. The weights and the dropout masks come from libtorch's global generator and
/// the batch order from the data stream, all seeded by <see cref="SeededRandom"/> from <see cref="ClassifierRecipe.Seed"/>:
/// the same recipe, data and thread count give the same classifier.</para>
/// <para>The thread count is the caller's (<see cref="LatentRuntime.SetThreads"/>).</para>
/// </remarks>
public static class ClassifierTraining
{
    private const int EvaluationBatch = 500;

    /// <summary>Trains a classifier by <paramref name="recipe"/> and measures its accuracy on the whole test split.</summary>
    /// <param name="dataSet">What the images are (<c>mnist</c>), for the log and the result.</param>
    /// <param name="train">The training split; at least <see cref="ClassifierRecipe.BatchSize"/> images of at least 8×8 and 2 classes.</param>
    /// <param name="test">The test split: the training split's image size and classes.</param>
    /// <param name="recipe">How to train (<see cref="ClassifierRecipe.Default"/> for Latent's cached classifiers).</param>
    /// <param name="log">Receives a line at the start, four progress lines per epoch (epoch, step, loss, elapsed seconds) and the test accuracy; default none.</param>
    /// <returns>The classifier in eval mode, not cached (its <see cref="TrainedClassifier.Folder"/> is null); the caller disposes it.</returns>
    /// <exception cref="ArgumentException">An empty name, a recipe field out of range, splits that disagree, images smaller than 8×8, fewer than 2 classes, or fewer training images than a batch.</exception>
    public static TrainedClassifier Train(string dataSet, ImageDataset train, ImageDataset test, ClassifierRecipe recipe, TextWriter? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataSet);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(recipe);
        recipe.Validate();
        CheckSplits(train, test);
        if (recipe.BatchSize > train.Count)
            throw new ArgumentException($"ClassifierRecipe.BatchSize is {recipe.BatchSize}; expected at most the {train.Count} images of {train.Name}", nameof(recipe));
        log ??= TextWriter.Null;

        var clock = Stopwatch.StartNew();
        using var random = new SeededRandom(recipe.Seed);
        // Built after seeding, so the seed decides the weights.
        var net = new ImageClassifier(train.Channels, train.Height, train.Width, train.Classes, recipe.Dropout);
        try
        {
            using var optimizer = optim.AdamW(net.parameters(), recipe.LearningRate, weight_decay: recipe.WeightDecay);
            using var batches = new ImageBatches(train, ImagePreprocessing.Unit, recipe.BatchSize, random.Data, CPU);
            long perEpoch = batches.BatchesPerEpoch;
            long total = perEpoch * recipe.Epochs;
            long logEvery = Math.Max(1, perEpoch / 4);
            log.WriteLine(Invariant($"{dataSet} classifier: {train}; {recipe.Epochs} epochs of {perEpoch} steps, batch {recipe.BatchSize}, AdamW lr {recipe.LearningRate:g3} cosine to 0, seed {recipe.Seed}"));

            net.train();
            for (long step = 0; step < total; step++)
            {
                using var scope = NewDisposeScope();
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate = CosineRate(recipe.LearningRate, step, total);
                var batch = batches.Next();
                var loss = nn.functional.cross_entropy(net.call(batch.Examples), batch.Labels!);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();

                long done = step + 1;
                if (done % logEvery == 0 || done == total)
                {
                    long epoch = Math.Min(recipe.Epochs, step / perEpoch + 1);
                    log.WriteLine(Invariant($"{dataSet} classifier: epoch {epoch}/{recipe.Epochs}, step {done}/{total}, loss {loss.item<float>():0.0000}, {clock.Elapsed.TotalSeconds:0.0} s"));
                }
            }

            net.eval();
            double accuracy = Accuracy(net, test, EvaluationBatch);
            log.WriteLine(Invariant($"{dataSet} classifier: test accuracy {accuracy * 100:0.00}% on {test.Count} images of {test.Name}; {clock.Elapsed.TotalSeconds:0.0} s in all"));
            return new TrainedClassifier(net, dataSet, accuracy, recipe, train.Count, test.Count, DateTime.UtcNow);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>lr₀ · ½(1 + cos(π t / T)): lr₀ at the first step, falling along a half cosine towards 0 at step T.</summary>
    internal static double CosineRate(double initial, long step, long total) => initial * 0.5 * (1 + Math.Cos(Math.PI * step / total));

    /// <summary>The fraction of <paramref name="images"/> that <paramref name="net"/>, in eval mode, assigns to their labels.</summary>
    internal static double Accuracy(ImageClassifier net, ImageDataset images, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if ((images.Channels, images.Height, images.Width) != (net.Channels, net.Height, net.Width) || images.Classes != net.Classes)
            throw new ArgumentException(
                $"{images}; expected images of {net.Channels}×{net.Height}×{net.Width} in {net.Classes} classes, the classifier's", nameof(images));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        net.eval();
        var device = net.parameters().First().device;
        var correct = zeros([], int64);
        for (long start = 0; start < images.Count; start += batchSize)
        {
            using var batchScope = NewDisposeScope();
            long end = Math.Min(start + batchSize, images.Count);
            var pixels = ImagePreprocessing.Unit.Apply(images.Pixels.slice(0, start, end, 1)).to(device);
            var labels = images.Labels.slice(0, start, end, 1).to(device);
            // Summed in place on the CPU, so the count is read once at the end.
            correct.add_(net.call(pixels).argmax(1).eq(labels).sum().cpu());
        }
        return (double)correct.item<long>() / images.Count;
    }

    private static void CheckSplits(ImageDataset train, ImageDataset test)
    {
        if ((test.Channels, test.Height, test.Width, test.Classes) != (train.Channels, train.Height, train.Width, train.Classes))
            throw new ArgumentException(
                $"the test split {test}; expected {train.Channels}×{train.Height}×{train.Width} images of {train.Classes} classes like the training split {train.Name}",
                nameof(test));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
