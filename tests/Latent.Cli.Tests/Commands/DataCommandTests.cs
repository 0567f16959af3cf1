namespace Latent.Cli.Tests.Commands;

public sealed class DataCommandTests : CliTest
{
    private static readonly string[] IdxFiles =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    [Fact]
    public void ListOfAnEmptyDataFolderSaysNothingIsInstalledAndHowToFetchIntoIt()
    {
        Directory.CreateDirectory(Folder["empty"]);

        var result = Latent("data", "list", "--data-dir", Folder["empty"]).ShouldExitWith(ExitCodes.Success);

        Assert.Equal(2, result.StdoutLines.Length);
        Assert.StartsWith("mnist ", result.StdoutLines[0], StringComparison.Ordinal);
        Assert.StartsWith("fashion-mnist ", result.StdoutLines[1], StringComparison.Ordinal);
        Assert.All(result.StdoutLines, line => Assert.Contains("not installed", line));
        // The command it suggests must fetch into the folder that was listed, or the next list still says "not installed".
        Assert.Contains($"latent data fetch mnist --data-dir {Folder["empty"]}", result.StdoutLines[0]);
        Assert.Contains($"latent data fetch fashion-mnist --data-dir {Folder["empty"]}", result.StdoutLines[1]);
        Assert.Equal("", result.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Folder["empty"]));
    }

    [Fact]
    public void ListShowsAnInstalledDataSetWithItsFolder()
    {
        string mnist = Path.Combine(Folder["store"], "mnist");
        Directory.CreateDirectory(mnist);
        foreach (string file in IdxFiles)
            File.WriteAllBytes(Path.Combine(mnist, file), []);

        var result = Latent("data", "list", "--data-dir", Folder["store"]).ShouldExitWith(ExitCodes.Success);

        Assert.Equal($"installed in {mnist}", result.StdoutLines[0]["mnist".Length..].Trim());
        Assert.Contains("not installed", result.StdoutLines[1]);
    }

    [Fact]
    public void FetchOfAnUnknownDataSetNamesTheKnownOnes()
    {
        AssertBadInput(["data", "fetch", "nope"], "'nope'", "mnist, fashion-mnist");
    }

    [Fact]
    public void DataWithoutAnActionOrFetchWithoutANameIsBadInput()
    {
        AssertBadInput(["data"], "fetch", "list");
        AssertBadInput(["data", "fetch"], "one data set name", "mnist, fashion-mnist");
        AssertBadInput(["data", "remove", "mnist"], "'remove'", "fetch or list");
    }

    [Fact]
    public void TrainingAPresetWhoseDataIsNotInstalledSaysHowToFetchItAndWritesNothing()
    {
        Directory.CreateDirectory(Folder["empty"]);

        AssertBadInput(["train", "mnist-vae-mlp", "--data-dir", Folder["empty"]],
                       "'mnist' is not installed", "latent data fetch mnist", $"--data-dir {Folder["empty"]}");
        Assert.False(Directory.Exists(Folder["runs"]));
    }
}
