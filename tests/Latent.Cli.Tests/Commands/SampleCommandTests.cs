using System.Globalization;

namespace Latent.Cli.Tests.Commands;

[Collection(TrainedRunsCollection.Name)]
public sealed class SampleCommandTests(TrainedRuns runs) : CliTest
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void SampleToCsvWritesAHeaderAndOneRowPerExample()
    {
        var result = Latent("sample", runs.Gan1d.Folder, "--n", "50", "--out", "s.csv").ShouldExitWith(ExitCodes.Success);

        string[] lines = File.ReadAllLines(Folder["s.csv"]);
        Assert.Equal(51, lines.Length);
        Assert.Equal("x0", lines[0]);
        Assert.All(lines.Skip(1), row => Assert.True(
            double.TryParse(row, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x), $"row '{row}'"));
        Assert.Contains("50 samples", result.Stdout);
    }

    [Fact]
    public void SampleToPngWritesAPng()
    {
        Latent("sample", runs.Gan1d.Folder, "--n", "50", "--out", "s.png").ShouldExitWith(ExitCodes.Success);

        byte[] png = File.ReadAllBytes(Folder["s.png"]);
        Assert.Equal(PngSignature, png.Take(8));
    }

    [Fact]
    public void SameSeedGivesTheSameSamples()
    {
        Latent("sample", runs.Gan1d.Folder, "--n", "20", "--out", "a.csv", "--seed", "7").ShouldExitWith(ExitCodes.Success);
        Latent("sample", runs.Gan1d.Folder, "--n", "20", "--out", "b.csv", "--seed", "7").ShouldExitWith(ExitCodes.Success);

        Assert.Equal(File.ReadAllText(Folder["a.csv"]), File.ReadAllText(Folder["b.csv"]));
    }

    [Fact]
    public void HelpOfSampleMentionsItsOptions()
    {
        var result = Latent("sample", "--help").ShouldExitWith(ExitCodes.Success);

        Assert.Contains("--n N", result.Stdout);
        Assert.Contains("--out FILE", result.Stdout);
        Assert.Contains("--seed N", result.Stdout);
    }

    [Fact]
    public void AutoencoderRunDoesNotGenerate()
    {
        AssertBadInput(["sample", runs.Autoencoder.Folder, "--n", "5", "--out", "x.csv"], "autoencoder", "does not generate");
    }

    [Fact]
    public void MissingRunIsBadInput()
    {
        AssertBadInput(["sample", "missing-run", "--n", "5", "--out", "x.csv"], "'missing-run'", "does not exist");
    }

    [Fact]
    public void OutputOtherThanCsvOrPngIsBadInput()
    {
        AssertBadInput(["sample", runs.Gan1d.Folder, "--n", "5", "--out", "x.txt"], "x.txt", ".csv", ".png");
    }

    [Fact]
    public void MissingCountIsBadInput()
    {
        AssertBadInput(["sample", runs.Gan1d.Folder], "--n", "required");
    }
}
