using System.Globalization;
using System.Text.Json;
using Latent.Data.Images;
using Latent.Evaluation.Classifiers;
using Latent.Runtime;
using Latent.Tests.Data.Images;
using Latent.Tests.Imaging;
using Latent.Tests.Nets;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation.Classifiers;

public sealed class ClassifierStoreTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly SingleThread _oneThread;
    private readonly ImageDataset _train;
    private readonly ImageDataset _test;
    private readonly ClassifierStore _store;

    public ClassifierStoreTests()
    {
        LatentRuntime.EnsureLoaded();
        _oneThread = new SingleThread();
        _train = TinyClassification.Train();
        _test = TinyClassification.Test();
        _store = new ClassifierStore(Path.Combine(_folder.Path, "classifiers")) { Recipe = TinyClassification.Recipe with { Epochs = 2 } };
    }

    public void Dispose()
    {
        _train.Dispose();
        _test.Dispose();
        _oneThread.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void GetOrTrainTrainsOnceThenLoadsTheCache()
    {
        var firstLog = new StringWriter();
        var secondLog = new StringWriter();
        Assert.False(_store.Has("bars"));

        using var first = _store.GetOrTrain("bars", _train, _test, firstLog);
        using var second = _store.GetOrTrain("bars", _train, _test, secondLog);

        string folder = _store.Folder("bars");
        Assert.StartsWith($"Training the classifier for bars once; it will be cached in {folder}{Environment.NewLine}", firstLog.ToString());
        Assert.Contains("bars classifier: epoch 2/2", firstLog.ToString());
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"Loaded the classifier for bars from {folder} ({second.TestAccuracy * 100:0.00}% test accuracy){Environment.NewLine}"), secondLog.ToString());
        Assert.True(_store.Has("bars"));
        Assert.Equal(folder, first.Folder);
        Assert.Equal(folder, second.Folder);
        Assert.Equal(first.TestAccuracy, second.TestAccuracy);
        Assert.Equal(first.TrainedUtc, second.TrainedUtc);
        Assert.Equal(_store.Recipe, second.Recipe);
        Assert.Equal(240, second.TrainImages);
        Assert.Equal(60, second.TestImages);
        Assert.False(second.Net.training);
    }

    [Fact]
    public void TheLoadedClassifierSeesImagesAsTheTrainedOneDid()
    {
        using var scope = NewDisposeScope();
        using var trained = _store.GetOrTrain("bars", _train, _test);
        using var loaded = _store.Load("bars");
        var images = _test.Pixels.to(float32) / 255;

        using var before = trained.Embed(images);
        using var after = loaded.Embed(images);

        Assert.True(before.Features.Equals(after.Features));
        Assert.True(before.Probabilities.Equals(after.Probabilities));
        Assert.Equal(trained.TestAccuracy, loaded.Accuracy(_test));
    }

    [Fact]
    public void TheCacheIsTheWeightsAndTheirDescriptionAndNothingElse()
    {
        using var trained = _store.GetOrTrain("bars", _train, _test);

        Assert.Equal([_store.Folder("bars")], EntriesBesideLocks());
        Assert.Equal([ClassifierStore.WeightsFile, ClassifierStore.CardFile],
                     Directory.GetFiles(_store.Folder("bars")).Select(Path.GetFileName).Order(StringComparer.Ordinal).Reverse());
        using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(_store.Folder("bars"), ClassifierStore.CardFile)));
        var root = card.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("bars", root.GetProperty("data_set").GetString());
        Assert.Equal(1, root.GetProperty("channels").GetInt32());
        Assert.Equal(12, root.GetProperty("height").GetInt32());
        Assert.Equal(12, root.GetProperty("width").GetInt32());
        Assert.Equal(3, root.GetProperty("classes").GetInt32());
        Assert.Equal(128, root.GetProperty("feature_dim").GetInt32());
        Assert.Equal(2, root.GetProperty("recipe").GetProperty("epochs").GetInt32());
        Assert.Equal(16, root.GetProperty("recipe").GetProperty("batch_size").GetInt32());
        Assert.Equal(3e-3, root.GetProperty("recipe").GetProperty("learning_rate").GetDouble());
        Assert.Equal(0.25, root.GetProperty("recipe").GetProperty("dropout").GetDouble());
        Assert.Equal(0, root.GetProperty("recipe").GetProperty("seed").GetInt64());
        Assert.Equal(trained.TestAccuracy, root.GetProperty("test_accuracy").GetDouble());
        Assert.Equal(240, root.GetProperty("train_images").GetInt64());
        Assert.Equal(60, root.GetProperty("test_images").GetInt64());
        Assert.Equal(trained.TrainedUtc, root.GetProperty("trained_utc").GetDateTime().ToUniversalTime());
    }

    [Fact]
    public void TrainReplacesTheCacheAndLeavesNothingBehind()
    {
        var otherStore = new ClassifierStore(_store.Root) { Recipe = _store.Recipe with { Seed = 1 } };
        using var first = _store.GetOrTrain("bars", _train, _test);

        using var replacement = otherStore.Train("bars", _train, _test);
        using var loaded = _store.Load("bars");

        Assert.Equal(1, loaded.Recipe.Seed);
        Assert.Equal(replacement.TrainedUtc, loaded.TrainedUtc);
        Assert.Equal([_store.Folder("bars")], EntriesBesideLocks());
        Assert.Equal(2, Directory.GetFiles(_store.Folder("bars")).Length);
    }

    [Fact]
    public void ACacheMadeWithAnotherRecipeIsTrainedAgain()
    {
        var otherStore = new ClassifierStore(_store.Root) { Recipe = _store.Recipe with { Seed = 1 } };
        using var other = otherStore.GetOrTrain("bars", _train, _test);
        var log = new StringWriter();

        using var mine = _store.GetOrTrain("bars", _train, _test, log);

        Assert.StartsWith("Training the classifier for bars again, because the cached one is not usable (it was trained with ClassifierRecipe {", log.ToString());
        Assert.Contains("Seed = 1 }; this store trains with", log.ToString());
        Assert.Equal(0, mine.Recipe.Seed);
        using var loaded = _store.Load("bars");
        Assert.Equal(0, loaded.Recipe.Seed);
    }

    [Fact]
    public void ACacheForImagesOfAnotherSizeIsTrainedAgain()
    {
        using var large = TinyImages.Dataset(240, 3, 16, seed: 1);
        using var largeTest = TinyImages.Dataset(60, 3, 16, seed: 2);
        using var first = _store.GetOrTrain("bars", _train, _test);
        var log = new StringWriter();

        using var second = _store.GetOrTrain("bars", large, largeTest, log);

        Assert.Contains("not usable (it takes 1×12×12 images of 3 classes; bars has 1×16×16 images of 3)", log.ToString());
        Assert.Equal(16, second.Net.Height);
    }

    [Fact]
    public void AMalformedCardIsTrainedAgainByGetOrTrainWithALineSayingWhy()
    {
        using (_store.GetOrTrain("bars", _train, _test))
        {
        }
        string card = Path.Combine(_store.Folder("bars"), ClassifierStore.CardFile);
        File.WriteAllText(card, "{ \"version\": 1, \"data_set\": ");
        var log = new StringWriter();

        using var retrained = _store.GetOrTrain("bars", _train, _test, log);

        string first = log.ToString().Split(Environment.NewLine)[0];
        Assert.StartsWith($"Training the classifier for bars again, because the cached one is not usable ({card} is not a classifier card: ", first);
        Assert.EndsWith($"; it will be cached in {_store.Folder("bars")}", first);
        using var loaded = _store.Load("bars");
        Assert.Equal(retrained.TrainedUtc, loaded.TrainedUtc);
    }

    [Theory]
    [InlineData("{ \"version\": 1, \"data_set\": ", "is not a classifier card")]
    [InlineData("{ \"version\": 1, \"data_set\": \"bars\" }", "is not a classifier card")]
    [InlineData("null", "holds null")]
    public void LoadingAMalformedCardThrowsNamingTheFile(string json, string expected)
    {
        using (_store.GetOrTrain("bars", _train, _test))
        {
        }
        string card = Path.Combine(_store.Folder("bars"), ClassifierStore.CardFile);
        File.WriteAllText(card, json);

        var error = Assert.Throws<InvalidDataException>(() => _store.Load("bars"));

        Assert.StartsWith($"{card} {expected}", error.Message);
    }

    [Fact]
    public void LoadingACardOfAnotherVersionOrKeyThrowsNamingTheFile()
    {
        using (_store.GetOrTrain("bars", _train, _test))
        {
        }
        string card = Path.Combine(_store.Folder("bars"), ClassifierStore.CardFile);
        string json = File.ReadAllText(card);

        File.WriteAllText(card, json.Replace("\"version\": 1", "\"version\": 99", StringComparison.Ordinal));
        var version = Assert.Throws<InvalidDataException>(() => _store.Load("bars"));
        File.WriteAllText(card, json.Replace("\"data_set\": \"bars\"", "\"data_set\": \"mnist\"", StringComparison.Ordinal));
        var key = Assert.Throws<InvalidDataException>(() => _store.Load("bars"));

        Assert.Equal($"{card} has version 99; expected 1 (the cache was written by another version of Latent)", version.Message);
        Assert.Equal($"{card} describes a classifier for 'mnist'; expected 'bars', the key of its folder", key.Message);
    }

    [Fact]
    public void LoadingWeightsOfAnotherNetThrowsNamingTheFile()
    {
        using (_store.GetOrTrain("bars", _train, _test))
        {
        }
        string weights = Path.Combine(_store.Folder("bars"), ClassifierStore.WeightsFile);
        using (var fiveClasses = new Latent.Evaluation.Classifiers.ImageClassifier(1, 12, 12, 5))
            fiveClasses.save(weights);

        var error = Assert.Throws<InvalidDataException>(() => _store.Load("bars"));

        Assert.StartsWith($"{weights} does not fit the classifier {ClassifierStore.CardFile} describes (1×12×12 images, 3 classes): ", error.Message);
    }

    [Fact]
    public void LoadingTruncatedWeightsThrowsNamingTheFileAndGetOrTrainTrainsAgain()
    {
        using (_store.GetOrTrain("bars", _train, _test))
        {
        }
        string weights = Path.Combine(_store.Folder("bars"), ClassifierStore.WeightsFile);
        byte[] bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        var log = new StringWriter();

        var error = Assert.Throws<InvalidDataException>(() => _store.Load("bars"));
        using var retrained = _store.GetOrTrain("bars", _train, _test, log);

        Assert.StartsWith($"{weights} does not fit", error.Message);
        Assert.StartsWith($"Training the classifier for bars again, because the cached one is not usable ({weights} does not fit", log.ToString());
        using var loaded = _store.Load("bars");
        Assert.Equal(retrained.TrainedUtc, loaded.TrainedUtc);
    }

    [Fact]
    public void LoadingWhatWasNeverCachedThrowsFileNotFound()
    {
        var error = Assert.Throws<FileNotFoundException>(() => _store.Load("bars"));

        Assert.Contains("no classifier is cached for bars", error.Message);
    }

    [Fact]
    public void LoadingLeavesLibtorchsGlobalGeneratorWhereItWas()
    {
        using (_store.GetOrTrain("bars", _train, _test))
        {
        }
        using var scope = NewDisposeScope();
        manual_seed(5);
        var expected = rand(3);
        manual_seed(5);

        using (_store.Load("bars"))
        {
        }

        Assert.True(rand(3).Equals(expected));
    }

    [Fact]
    public void AStagingFolderLeftByAKilledSaveIsNotACacheAndIsRemovedOnceOld()
    {
        Directory.CreateDirectory(_store.Root);
        string fresh = Path.Combine(_store.Root, ".staging-bars-fresh");
        string old = Path.Combine(_store.Root, ".staging-bars-old");
        foreach (string folder in new[] { fresh, old })
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, ClassifierStore.WeightsFile), "half");
        }
        Directory.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));
        Assert.False(_store.Has("bars"));

        using (_store.GetOrTrain("bars", _train, _test))
        {
        }

        Assert.False(Directory.Exists(old));
        Assert.True(Directory.Exists(fresh));
    }

    [Theory]
    [InlineData("MNIST")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("../up")]
    [InlineData("a/b")]
    [InlineData("with space")]
    [InlineData("fashion_mnist")]
    public void KeysThatAreNotFolderSafeAreRefused(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => _store.Folder(key));

        Assert.Equal("key", error.ParamName);
        Assert.Contains($"classifier key '{key}': expected 1 to 100 lowercase letters, digits, '-' and '.'", error.Message);
        Assert.Throws<ArgumentException>(() => _store.Has(key));
        Assert.Throws<ArgumentException>(() => _store.GetOrTrain(key, _train, _test));
        Assert.Throws<ArgumentException>(() => _store.Train(key, _train, _test));
    }

    [Theory]
    [InlineData("mnist")]
    [InlineData("fashion-mnist")]
    [InlineData("cifar10.v2")]
    public void FolderSafeKeysNameASubFolderOfTheRoot(string key)
    {
        Assert.Equal(Path.Combine(_store.Root, key), _store.Folder(key));
    }

    [Fact]
    public void BesideADataStoreIsItsClassifiersFolder()
    {
        var data = new DataStore(Path.Combine(_folder.Path, "data"));

        var store = ClassifierStore.Beside(data);

        Assert.Equal(Path.Combine(data.Root, "classifiers"), store.Root);
        Assert.Equal(ClassifierRecipe.Default, store.Recipe);
    }

    [Fact]
    public async Task WhileAnotherProcessHoldsTheKeysLockGetOrTrainWaitsThenLoadsWhatItCached()
    {
        using (var trained = _store.GetOrTrain("bars", _train, _test))
        {
        }
        var log = new StringWriter();
        var waiting = new ClassifierStore(_store.Root) { Recipe = _store.Recipe };
        Task<TrainedClassifier> pending;
        // What another process training the same key holds: the key's lock file, open without sharing.
        using (new FileStream(Path.Combine(_store.Root, ".bars.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            pending = Task.Run(() => waiting.GetOrTrain("bars", _train, _test, TextWriter.Synchronized(log)));
            SpinWait.SpinUntil(() => log.ToString().Contains("Waiting for another process", StringComparison.Ordinal) || pending.IsCompleted, TimeSpan.FromSeconds(30));
            Assert.False(pending.IsCompleted, $"GetOrTrain finished while the lock was held: {log}");
        }

        using var loaded = await pending;
        Assert.Contains("Waiting for another process that is training the classifier for bars", log.ToString());
        Assert.Contains("Loaded the classifier for bars", log.ToString());
    }

    /// <summary>The entries of the store's root apart from its lock files (<c>.KEY.lock</c>).</summary>
    private string[] EntriesBesideLocks() =>
        [.. Directory.GetFileSystemEntries(_store.Root).Where(entry => !entry.EndsWith(".lock", StringComparison.Ordinal))];
}
