using System.Text.Json;
using Latent.Tests.Imaging;

namespace Latent.Cli.Tests.Commands;

[Collection(ImageRunsCollection.Name)]
public sealed class ImageCommandsTests(ImageRuns runs) : CliTest
{
    [Fact]
    public void TrainOfAnIdxRecipeWritesTheImageRunFolder()
    {
        var run = runs.Vae;

        Assert.Contains("run: vae", run.Training.StdoutLines);
        Assert.Contains(run.Training.StdoutLines, line => line.Trim().StartsWith("test_neg_elbo ", StringComparison.Ordinal));
        Assert.Equal(5, File.ReadAllLines(run["metrics.jsonl"]).Length);
        using var figures = JsonDocument.Parse(File.ReadAllText(run["eval.json"]));
        double negativeElbo = figures.RootElement.GetProperty("test_neg_elbo").GetDouble();
        Assert.True(double.IsFinite(negativeElbo) && negativeElbo > 0, $"test_neg_elbo {negativeElbo}");
        // 16 × 16 images drawn at twice their size: 32-pixel cells.
        GridLines.AssertGrid(run["samples.png"], rows: 10, columns: 10, cell: 32);
        GridLines.AssertGrid(run["interpolation.png"], rows: 6, columns: 10, cell: 32);
        GridLines.AssertGrid(run["reconstructions.png"], rows: 6, columns: 10, cell: 32);
    }

    [Fact]
    public void SampleOfAVaeDrawsTenImagesPerRow()
    {
        var result = Latent("sample", runs.Vae.Folder, "--n", "20", "--out", "x.png").ShouldExitWith(ExitCodes.Success);

        GridLines.AssertGrid(Folder["x.png"], rows: 2, columns: 10, cell: 32);
        Assert.Contains("x.png", result.Stdout);
    }

    [Fact]
    public void SampleOfAConditionalGanDrawsOneRowPerClassOrOnlyTheClassAskedFor()
    {
        Latent("sample", runs.ConditionalGan.Folder, "--n", "10", "--out", "all.png").ShouldExitWith(ExitCodes.Success);
        Latent("sample", runs.ConditionalGan.Folder, "--n", "20", "--class", "1", "--out", "ones.png").ShouldExitWith(ExitCodes.Success);

        GridLines.AssertGrid(Folder["all.png"], rows: 3, columns: 10, cell: 32);
        GridLines.AssertGrid(Folder["ones.png"], rows: 2, columns: 10, cell: 32);
    }

    [Fact]
    public void SampleOfAClassTheModelDoesNotHaveIsBadInput()
    {
        AssertBadInput(["sample", runs.ConditionalGan.Folder, "--n", "10", "--class", "99", "--out", "x.png"], "--class 99", "0 to 2");
    }

    [Fact]
    public void SampleOfAClassFromAnUnconditionalRunIsBadInput()
    {
        AssertBadInput(["sample", runs.Vae.Folder, "--n", "10", "--class", "1", "--out", "x.png"], "--class 1", "not conditional");
    }

    [Fact]
    public void InterpolateDrawsStripsOfTen()
    {
        Latent("interpolate", runs.Vae.Folder, "--out", "y.png").ShouldExitWith(ExitCodes.Success);
        Latent("interpolate", runs.ConditionalGan.Folder, "--out", "g.png", "--rows", "3", "--linear").ShouldExitWith(ExitCodes.Success);

        GridLines.AssertGrid(Folder["y.png"], rows: 6, columns: 10, cell: 32);
        GridLines.AssertGrid(Folder["g.png"], rows: 3, columns: 10, cell: 32);
    }

    [Fact]
    public void ReconstructDrawsTestImagesOverTheirReconstructions()
    {
        Latent("reconstruct", runs.Vae.Folder, "--out", "z.png").ShouldExitWith(ExitCodes.Success);

        GridLines.AssertGrid(Folder["z.png"], rows: 6, columns: 10, cell: 32);
    }

    [Fact]
    public void ReconstructOfMoreRowsThanTheTestSplitHoldsDrawsTheImagesThereAre()
    {
        // 5 groups want 50 test images; there are 40. The picture shows what there is instead of failing.
        var result = Latent("reconstruct", runs.Vae.Folder, "--rows", "5", "--out", "z.png");

        result.ShouldExitWith(ExitCodes.Success);
        var png = PngTestDecoder.Decode(File.ReadAllBytes(Folder["z.png"]));
        Assert.InRange(GridLines.Rows(png), 2, 10);
    }

    [Fact]
    public void ReconstructOfAGanRunIsBadInput()
    {
        AssertBadInput(["reconstruct", runs.ConditionalGan.Folder, "--out", "z.png"], "gan", "does not reconstruct");
    }

    [Fact]
    public void ImageCommandsNeedAPngFile()
    {
        AssertBadInput(["interpolate", runs.Vae.Folder, "--out", "y.jpg"], "y.jpg", ".png");
        AssertBadInput(["reconstruct", runs.Vae.Folder], "--out FILE.png is required");
    }

    [Fact]
    public void AMalformedIdxFileInARecipeIsBadInputNamingTheFile()
    {
        var (images, labels) = TinyIdx.Write(Folder.Path, "good", count: 10, classes: 2, side: 8);
        byte[] truncated = File.ReadAllBytes(images)[..100]; // the header promises 10 images of 8 × 8; 84 bytes of pixels follow
        File.WriteAllBytes(Folder["cut-images"], truncated);
        File.WriteAllText(Folder["bad.json"], TinyIdx.Recipe("vae", (Folder["cut-images"], labels), null, classes: 2));

        AssertBadInput(["train", "bad.json", "--steps", "5", "--threads", "1"], Folder["cut-images"], "ends early at byte offset 100");
    }

    [Fact]
    public void AnImageSizeTheDcganCannotTakeIsBadInput()
    {
        var train = TinyIdx.Write(Folder.Path, "train", count: 10, classes: 2, side: 28);
        File.WriteAllText(Folder["dcgan.json"], TinyIdx.Recipe("dcgan", train, null, classes: 2, imageSize: 30));

        AssertBadInput(["train", "dcgan.json", "--steps", "1", "--threads", "1"], "image_size");
    }
}
