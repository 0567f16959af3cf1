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
    public void VersionPrintsLatentAndTorchSharpVersionsTheNativeShimMklsDispatchTheConvolutionCheckAndMalloc()
    {
        var result = Latent("--version").ShouldExitWith(ExitCodes.Success);

        Assert.Equal(4, result.StdoutLines.Length);
        Assert.Matches(new Regex(@"^latent \d+\.\d+[\d.]*; TorchSharp \d+\.\d+[\d.]*; native: \S"), result.StdoutLines[0]);
        Assert.Contains("LibTorchSharp", result.StdoutLines[0]);
        Assert.Matches(new Regex(@"^matrix products: MKL: (kernels chosen by CPU features|left to dispatch by CPU vendor \(.+\))"), result.StdoutLines[1]);
        Assert.Matches(new Regex(@"^convolutions: (oneDNN convolutions checked: exact|oneDNN off: )"), result.StdoutLines[2]);
        Assert.Matches(new Regex(@"^memory: malloc: (large blocks kept in the heap \(glibc mmap threshold 32 MiB, trim threshold 64 MiB\)|glibc's adaptive thresholds \(.+\)|left as it is \(.+\))$"), result.StdoutLines[3]);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void MklDispatchCanBeLeftToTheVendorCheckAndAnUnknownSettingIsRefused()
    {
        var vendor = LatentProcess.Run(Folder.Path, new Dictionary<string, string> { ["LATENT_MKL_DISPATCH"] = "vendor" }, "--version")
            .ShouldExitWith(ExitCodes.Success);
        Assert.Equal("matrix products: MKL: left to dispatch by CPU vendor (LATENT_MKL_DISPATCH=vendor)", vendor.StdoutLines[1]);

        var unknown = LatentProcess.Run(Folder.Path, new Dictionary<string, string> { ["LATENT_MKL_DISPATCH"] = "fast" }, "presets")
            .ShouldExitWith(ExitCodes.NoEngine);
        Assert.Contains("LATENT_MKL_DISPATCH='fast' in the environment: expected 'features' (the default) or 'vendor'", unknown.Stderr);
        Assert.Empty(Folder.Snapshot());
    }

    [Fact]
    public void MallocCanBeLeftToGlibcAndAnUnknownSettingIsRefused()
    {
        var glibc = LatentProcess.Run(Folder.Path, new Dictionary<string, string> { ["LATENT_MALLOC"] = "glibc" }, "--version")
            .ShouldExitWith(ExitCodes.Success);
        Assert.Equal("memory: malloc: glibc's adaptive thresholds (LATENT_MALLOC=glibc)", glibc.StdoutLines[3]);

        var unknown = LatentProcess.Run(Folder.Path, new Dictionary<string, string> { ["LATENT_MALLOC"] = "jemalloc" }, "presets")
            .ShouldExitWith(ExitCodes.NoEngine);
        Assert.Contains("LATENT_MALLOC='jemalloc' in the environment: expected 'fixed' (the default) or 'glibc'", unknown.Stderr);
        Assert.Empty(Folder.Snapshot());
    }

    [Fact]
    public void UnknownCommandSuggestsTheNearestOne()
    {
        AssertBadInput(["trian"], "'trian'", "did you mean 'train'", "train, sample, eval, interpolate, reconstruct, export, data, presets");
    }
}
