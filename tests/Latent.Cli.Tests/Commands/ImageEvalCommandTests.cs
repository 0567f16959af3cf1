using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Latent.Cli.Tests.Commands;

/// <summary><c>latent eval</c> on image runs: the classifier-based figures, their counts, and the exported features.</summary>
[Collection(ImageRunsCollection.Name)]
public sealed partial class ImageEvalCommandTests(ImageRuns runs) : CliTest
{
    [Fact]
    public void EvalOfAConditionalGanScoresItsSamplesWithTheClassifierAndSaysHowMany()
    {
        var result = Latent("eval", runs.ConditionalGan.Folder, "--json", "--samples", "90").ShouldExitWith(ExitCodes.Success);

        using var printed = JsonDocument.Parse(result.Stdout);
        var figures = printed.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        string[] expected = ["classifier_fid", "classifier_kid", "classifier_kid_std", "classifier_precision", "classifier_recall",
                             "classifier_density", "classifier_coverage", "class_kl", "smallest_class_share", "class_accuracy",
                             "classifier_score", "samples", "real_images"];
        Assert.Equal(expected, figures.Keys);
        Assert.Equal(90, figures["samples"]);
        Assert.Equal(40, figures["real_images"]);
        Assert.True(figures["classifier_fid"] > 0, $"FID {figures["classifier_fid"]} of a GAN after 3 steps");
        Assert.InRange(figures["class_accuracy"], 0, 1);
        Assert.InRange(figures["classifier_score"], 1, 3); // three classes
    }

    [Fact]
    public void EvalIsRepeatable()
    {
        var first = Latent("eval", runs.Vae.Folder, "--json", "--samples", "50").ShouldExitWith(ExitCodes.Success);
        var second = Latent("eval", runs.Vae.Folder, "--json", "--samples", "50").ShouldExitWith(ExitCodes.Success);

        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Contains("\"test_nll_iwae_500\"", first.Stdout);
    }

    [Fact]
    public void ExportFeaturesWritesBothMatricesAsNpyFiles()
    {
        var result = Latent("eval", runs.Vae.Folder, "--samples", "60", "--export-features", "features").ShouldExitWith(ExitCodes.Success);

        Assert.Contains("features written to", result.Stdout);
        var (realRows, realColumns) = NpyShape(Folder["features/real.npy"]);
        var (generatedRows, generatedColumns) = NpyShape(Folder["features/generated.npy"]);
        Assert.Equal(40, realRows);
        Assert.Equal(60, generatedRows);
        Assert.Equal(realColumns, generatedColumns);
        Assert.True(realColumns >= 16, $"{realColumns} features");
    }

    [Fact]
    public void RealOfAnUnknownDataSetOrWithARunIsBadInput()
    {
        AssertBadInput(["eval", "--real", "cifar10"], "cifar10", "mnist, fashion-mnist");
        AssertBadInput(["eval", runs.Vae.Folder, "--real", "mnist"], "--real scores a data set");
        AssertBadInput(["eval", runs.Vae.Folder, "--samples", "1"], "--samples 1", "≥ 2");
    }

    /// <summary>The (rows, columns) of a 2-D .npy file, read from its header, after checking it is float64.</summary>
    private static (long Rows, long Columns) NpyShape(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal("\x93NUMPY", Encoding.Latin1.GetString(bytes, 0, 6));
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        string header = Encoding.Latin1.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f8'", header);
        var shape = ShapePattern().Match(header);
        Assert.True(shape.Success, $"no 2-D shape in {header}");
        long rows = long.Parse(shape.Groups[1].Value), columns = long.Parse(shape.Groups[2].Value);
        Assert.Equal(10 + headerLength + rows * columns * 8, bytes.Length);
        return (rows, columns);
    }

    [GeneratedRegex(@"'shape': \((\d+), (\d+)\)")]
    private static partial Regex ShapePattern();
}
