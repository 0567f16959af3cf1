using System.Text.RegularExpressions;

namespace Latent.Cli.Tests;

/// <summary>Program.cs: dispatch, the top-level usage, --version and unknown commands.</summary>
public sealed class LatentCommandTests : CliTest
{
    [Fact]
    public void HelpPrintsUsageOfEveryCommand()
    {
        var result = Latent("--help").ShouldExitWith(ExitCodes.Success);

        Assert.Contains("Usage:", result.Stdout);
        foreach (string command in new[] { "latent train", "latent sample", "latent eval", "latent presets", "latent --version" })
            Assert.Contains(command, result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void NoArgumentsPrintsUsageAndExits2()
    {
        var result = Latent().ShouldExitWith(ExitCodes.BadInput);

        Assert.Contains("Usage:", result.Stdout + result.Stderr);
        Assert.Contains("latent train", result.Stdout + result.Stderr);
        Assert.Empty(Folder.Snapshot());
    }

    [Fact]
    public void VersionPrintsLatentAndTorchSharpVersionsAndTheNativeShim()
    {
        var result = Latent("--version").ShouldExitWith(ExitCodes.Success);

        string line = Assert.Single(result.StdoutLines);
        Assert.Matches(new Regex(@"^latent \d+\.\d+[\d.]*; TorchSharp \d+\.\d+[\d.]*; native: \S"), line);
        Assert.Contains("LibTorchSharp", line);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void UnknownCommandSuggestsTheNearestOne()
    {
        AssertBadInput(["trian"], "'trian'", "did you mean 'train'", "train, sample, eval, presets");
    }
}
