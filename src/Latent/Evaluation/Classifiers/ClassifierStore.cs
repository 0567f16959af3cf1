using System.Globalization;
using System.Text.RegularExpressions;
using Latent.Data;
using Latent.Data.Images;
using static TorchSharp.torch;

namespace Latent.Evaluation.Classifiers;

/// <summary>
/// Where trained classifiers are cached: one folder per data set key under <see cref="Root"/>, each trained once per
/// machine and loaded after that.
/// </summary>
/// <remarks>
/// <para>A cached classifier is a folder <c>Root/KEY</c> holding <c>classifier.weights</c> (the net's state dict, TorchSharp's
/// <c>save</c> format) and <c>classifier.json</c> (the key, the image size, the classes, the feature width, the recipe, the
/// measured test accuracy, the training and test image counts and when it was trained, in UTC).</para>
/// <para>Both files are written into a staging folder beside the cache and the finished folder is renamed into place, so a
/// crash leaves either the old cache, no cache, or the new one, never a half-written folder that loads. A replaced cache is
/// moved aside, then deleted. Staging folders start with a dot, which no key does, and one left by a killed process is
/// removed an hour later.</para>
/// <para>A cache that cannot be used, because its json is malformed, its weights do not fit the net the json describes,
/// or it was made for other images or with another recipe, is never an error for <see cref="GetOrTrain"/>: it says why on
/// the log, trains again and replaces it. <see cref="Load"/> instead throws, naming the file.</para>
/// </remarks>
/// <example><code>
/// var data = new DataStore();
/// using var train = data.Load("mnist", DataSplit.Train);
/// using var test = data.Load("mnist", DataSplit.Test);
/// using var mnist = ClassifierStore.Beside(data).GetOrTrain("mnist", train, test, Console.Out);
/// using var outputs = mnist.Embed(images); // features for FID, probabilities for the Inception Score
/// </code></example>
public sealed partial class ClassifierStore
{
    /// <summary>The weights file of a cached classifier.</summary>
    public const string WeightsFile = "classifier.weights";

    /// <summary>The description file of a cached classifier, written last.</summary>
    public const string CardFile = "classifier.json";

    // A save takes seconds; a staging folder untouched for an hour belongs to a process that was killed.
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    /// <summary>A store whose classifiers live under <paramref name="root"/>.</summary>
    /// <param name="root">The folder holding one sub-folder per key; created at the first save.</param>
    /// <exception cref="ArgumentException"><paramref name="root"/> is empty.</exception>
    public ClassifierStore(string root)
    {
        if (string.IsNullOrWhiteSpace(root))
            throw new ArgumentException("root is empty; expected the folder the classifiers are cached in", nameof(root));
        Root = Path.GetFullPath(root);
    }

    /// <summary>The store beside a data store: <c>DataStore.Root/classifiers</c> (by default <c>~/.cache/latent/data/classifiers</c>).</summary>
    public static ClassifierStore Beside(DataStore data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ClassifierStore(Path.Combine(data.Root, "classifiers"));
    }

    /// <summary>The folder holding one sub-folder per key.</summary>
    public string Root { get; }

    /// <summary>How classifiers are trained, and the recipe a cache must have been made with to be used. Default <see cref="ClassifierRecipe.Default"/>.</summary>
    public ClassifierRecipe Recipe { get; init; } = ClassifierRecipe.Default;

    /// <summary>The folder of key <paramref name="key"/> (<c>Root/mnist</c>), cached or not.</summary>
    /// <param name="key">Lowercase letters, digits, '-' and '.', starting with a letter or digit (<c>mnist</c>, <c>fashion-mnist</c>).</param>
    /// <exception cref="ArgumentException">A key that is not folder-safe.</exception>
    public string Folder(string key)
    {
        CheckKey(key);
        return Path.Combine(Root, key);
    }

    /// <summary>Whether key <paramref name="key"/> has a cached classifier: both its files are in place (they may still fail to load).</summary>
    /// <exception cref="ArgumentException">A key that is not folder-safe.</exception>
    public bool Has(string key)
    {
        string folder = Folder(key);
        return File.Exists(Path.Combine(folder, CardFile)) && File.Exists(Path.Combine(folder, WeightsFile));
    }

    /// <summary>Loads the cached classifier of <paramref name="key"/>, whatever its recipe.</summary>
    /// <returns>The classifier in eval mode, with <see cref="TrainedClassifier.Folder"/> set; the caller disposes it.</returns>
    /// <remarks>Rebuilding the net draws its initial weights; libtorch's global generator is put back afterwards, so loading leaves a seeded run's numbers unchanged.</remarks>
    /// <exception cref="ArgumentException">A key that is not folder-safe.</exception>
    /// <exception cref="FileNotFoundException">There is no cached classifier for the key.</exception>
    /// <exception cref="InvalidDataException">The json is malformed or of another version, or the weights do not fit the net it describes; the message names the file.</exception>
    public TrainedClassifier Load(string key)
    {
        string folder = Folder(key);
        string cardPath = Path.Combine(folder, CardFile);
        string weightsPath = Path.Combine(folder, WeightsFile);
        foreach (string path in new[] { cardPath, weightsPath })
        {
            if (!File.Exists(path))
                throw new FileNotFoundException($"no classifier is cached for {key}: {path} does not exist; train it with ClassifierStore.GetOrTrain", path);
        }

        var card = ClassifierCard.Read(cardPath);
        if (card.DataSet != key)
            throw new InvalidDataException($"{cardPath} describes a classifier for '{card.DataSet}'; expected '{key}', the key of its folder");
        var net = Rebuild(card, cardPath);
        try
        {
            if (net.FeatureDim != card.FeatureDim)
                throw new InvalidDataException($"{cardPath} gives feature_dim {card.FeatureDim}; expected {net.FeatureDim}, the width of this version's classifier");
            try
            {
                net.load(weightsPath);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException or OverflowException)
            {
                throw new InvalidDataException(
                    $"{weightsPath} does not fit the classifier {CardFile} describes ({card.Channels}×{card.Height}×{card.Width} images, {card.Classes} classes): {e.Message}", e);
            }
            return new TrainedClassifier(net, key, card.TestAccuracy, card.Recipe, card.TrainImages, card.TestImages, card.TrainedUtc, folder);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>The cached classifier of <paramref name="key"/> when it fits these images and <see cref="Recipe"/>; otherwise trains one and caches it.</summary>
    /// <param name="key">The data set's key (<c>mnist</c>); folder-safe.</param>
    /// <param name="train">The training split.</param>
    /// <param name="test">The test split, on which the accuracy is measured.</param>
    /// <param name="log">Receives one line saying whether the classifier was loaded or is being trained (and why, when a cache was not usable), then training's progress; default none.</param>
    /// <returns>The classifier in eval mode, with <see cref="TrainedClassifier.Folder"/> set; the caller disposes it.</returns>
    /// <remarks>A cache fits when its image size and class count are the training split's and its recipe equals <see cref="Recipe"/>.</remarks>
    /// <exception cref="ArgumentException">A key that is not folder-safe, or splits <see cref="ClassifierTraining.Train"/> refuses.</exception>
    public TrainedClassifier GetOrTrain(string key, ImageDataset train, ImageDataset test, TextWriter? log = null)
    {
        string folder = Folder(key);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        log ??= TextWriter.Null;
        using var exclusive = Lock(key, log);
        if (!Has(key))
        {
            log.WriteLine($"Training the classifier for {key} once; it will be cached in {folder}");
            return TrainLocked(key, train, test, log);
        }

        string reason;
        try
        {
            var cached = Load(key);
            string? misfit = Misfit(cached, train);
            if (misfit is null)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Loaded the classifier for {key} from {folder} ({cached.TestAccuracy * 100:0.00}% test accuracy)"));
                return cached;
            }
            cached.Dispose();
            reason = misfit;
        }
        catch (InvalidDataException e)
        {
            reason = e.Message;
        }
        log.WriteLine($"Training the classifier for {key} again, because the cached one is not usable ({reason}); it will be cached in {folder}");
        return TrainLocked(key, train, test, log);
    }

    /// <summary>Trains a classifier for <paramref name="key"/> by <see cref="Recipe"/> and caches it, replacing any cached one.</summary>
    /// <param name="key">The data set's key (<c>mnist</c>); folder-safe.</param>
    /// <param name="train">The training split.</param>
    /// <param name="test">The test split, on which the accuracy is measured.</param>
    /// <param name="log">Receives training's progress and where the result was cached; default none.</param>
    /// <returns>The classifier in eval mode, with <see cref="TrainedClassifier.Folder"/> set; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">A key that is not folder-safe, or splits <see cref="ClassifierTraining.Train"/> refuses.</exception>
    public TrainedClassifier Train(string key, ImageDataset train, ImageDataset test, TextWriter? log = null)
    {
        CheckKey(key);
        log ??= TextWriter.Null;
        using var exclusive = Lock(key, log);
        return TrainLocked(key, train, test, log);
    }

    /// <summary>How often a process waiting for another's lock on a key tries again.</summary>
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Holds the key's lock file (<c>Root/.KEY.lock</c>) until disposed. Two processes that need the same classifier (two
    /// <c>latent eval</c>, or two test assemblies) would otherwise both train it for minutes: the second waits, then loads.
    /// </summary>
    private FileStream Lock(string key, TextWriter log)
    {
        CheckKey(key);
        Directory.CreateDirectory(Root);
        string path = Path.Combine(Root, $".{key}.lock");
        bool told = false;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock on Linux (flock): held by one open file at a time.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (!told)
                    log.WriteLine($"Waiting for another process that is training the classifier for {key} (lock {path})");
                told = true;
                Thread.Sleep(LockRetry);
            }
        }
    }

    private TrainedClassifier TrainLocked(string key, ImageDataset train, ImageDataset test, TextWriter log)
    {
        var trained = ClassifierTraining.Train(key, train, test, RecipeFor(train), log);
        try
        {
            Save(trained, key);
            log.WriteLine($"Cached the classifier for {key} in {trained.Folder}");
            return trained;
        }
        catch
        {
            trained.Dispose();
            throw;
        }
    }

    private static ImageClassifier Rebuild(ClassifierCard card, string cardPath)
    {
        // The fresh weights are overwritten at once: put libtorch's global generator back so a seeded run is not shifted.
        using var state = get_rng_state();
        try
        {
            return new ImageClassifier(card.Channels, card.Height, card.Width, card.Classes, card.Recipe.Dropout);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{cardPath}: {e.Message}", e);
        }
        finally
        {
            set_rng_state(state);
        }
    }

    /// <summary><see cref="Recipe"/>, with a batch no larger than a small training split (a few dozen test images still get a classifier).</summary>
    private ClassifierRecipe RecipeFor(ImageDataset train) =>
        Recipe.BatchSize > train.Count ? Recipe with { BatchSize = (int)train.Count } : Recipe;

    private string? Misfit(TrainedClassifier cached, ImageDataset train)
    {
        var net = cached.Net;
        if ((net.Channels, net.Height, net.Width, net.Classes) != (train.Channels, train.Height, train.Width, train.Classes))
            return $"it takes {net.Channels}×{net.Height}×{net.Width} images of {net.Classes} classes; {train.Name} has {train.Channels}×{train.Height}×{train.Width} images of {train.Classes}";
        if (cached.Recipe != RecipeFor(train))
            return $"it was trained with {cached.Recipe}; this store trains with {RecipeFor(train)}";
        return null;
    }

    /// <summary>Writes the classifier into a staging folder, then renames that folder into place.</summary>
    private void Save(TrainedClassifier trained, string key)
    {
        Directory.CreateDirectory(Root);
        RemoveAbandoned(key);
        string target = Folder(key);
        // Staging under the root keeps the renames on one file system, where they are atomic.
        string staging = Path.Combine(Root, $".staging-{key}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            trained.Net.save(Path.Combine(staging, WeightsFile));
            // The json last: a folder with a card always has its weights.
            File.WriteAllText(Path.Combine(staging, CardFile), ClassifierCard.Of(trained).ToJson());
            PlaceFolder(staging, target, key);
            trained.Folder = target;
        }
        finally
        {
            Folders.TryDelete(staging);
        }
    }

    /// <summary>Moves any cache at <paramref name="target"/> aside, renames the staging folder into place, then deletes the old one.</summary>
    /// <remarks>Runs under the key's lock (<see cref="Lock"/>), so no other process places a copy between the renames.</remarks>
    private void PlaceFolder(string staging, string target, string key)
    {
        string? aside = null;
        if (Directory.Exists(target))
        {
            aside = Path.Combine(Root, $".replaced-{key}-{Guid.NewGuid():N}");
            Directory.Move(target, aside);
        }
        try
        {
            Directory.Move(staging, target);
        }
        finally
        {
            if (aside is not null)
                Folders.TryDelete(aside);
        }
    }

    /// <summary>Removes staging and replaced folders of <paramref name="key"/> left by processes that were killed.</summary>
    private void RemoveAbandoned(string key)
    {
        foreach (string pattern in new[] { $".staging-{key}-*", $".replaced-{key}-*" })
        {
            foreach (string folder in Directory.EnumerateDirectories(Root, pattern))
            {
                if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) >= AbandonedAfter)
                    Folders.TryDelete(folder);
            }
        }
    }

    private static void CheckKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > 100 || !KeyPattern().IsMatch(key))
            throw new ArgumentException(
                $"classifier key '{key}': expected 1 to 100 lowercase letters, digits, '-' and '.', starting with a letter or digit (such as mnist or fashion-mnist)",
                nameof(key));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*$")]
    private static partial Regex KeyPattern();
}
