using System.Text.Json;
using Latent.Recipes;
using Latent.Tests.Imaging;
using Latent.Tests.Training;

namespace Latent.Tests.Recipes;

public class RunTensorBoardTests
{
    private static readonly Recipe ShortRun = Presets.Get("gan1d") with { Steps = 40, Seed = 3 };

    [Fact]
    public void ARunWritesTensorBoardEventsBesideItsMetricsWithTheSameFiguresAndTheSameTraining()
    {
        using var root = new TemporaryFolder();
        string plain = Path.Combine(root.Path, "plain"), board = Path.Combine(root.Path, "board");
        var watched = ShortRun with { SampleEvery = 20, Evaluation = new() { Every = 20 }, Logging = new() { HistogramsEvery = 20 } };

        RecipeRunner.Train(ShortRun with { Logging = new() { Tensorboard = false } }, new RunOptions { OutputFolder = plain, WritePlots = false });
        RecipeRunner.Train(watched, new RunOptions { OutputFolder = board });

        // The log only reads: the same steps, byte for byte, and no folder when it is off.
        string metrics = File.ReadAllText(Path.Combine(board, RunFolder.MetricsFile));
        Assert.Equal(File.ReadAllText(Path.Combine(plain, RunFolder.MetricsFile)), metrics);
        Assert.False(Directory.Exists(Path.Combine(plain, RunFolder.TensorBoardFolder)));

        string folder = Path.Combine(board, RunFolder.TensorBoardFolder);
        var events = TensorBoardEvents.ReadFile(Assert.Single(TensorBoardEvents.EventFiles(folder)));
        Assert.Empty(Directory.GetFiles(board, "*.tmp", SearchOption.AllDirectories));

        // Every step's figures, as metrics.jsonl has them (as floats).
        var lines = metrics.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (string figure in new[] { "d_loss", "g_loss" })
            Assert.Equal(lines.Select(l => (l.GetProperty("step").GetInt64(), (float)l.GetProperty(figure).GetDouble())), TensorBoardEvents.Scalars(events, $"train/{figure}"));

        // The evaluations of evals.jsonl at their steps.
        var evaluations = File.ReadAllLines(Path.Combine(board, RunFolder.EvaluationHistoryFile)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([20L, 40], evaluations.Select(e => e.GetProperty("step").GetInt64()));
        foreach (string figure in new[] { "mean", "wasserstein1" })
            Assert.Equal(evaluations.Select(e => (e.GetProperty("step").GetInt64(), (float)e.GetProperty(figure).GetDouble())), TensorBoardEvents.Scalars(events, $"eval/{figure}"));

        // The samples picture at sample_every and at the end: at step 20 the very samples-000020.png.
        var pictures = TensorBoardEvents.Values(events, "samples");
        Assert.Equal([20L, 40], pictures.Select(p => p.Step));
        Assert.Equal(File.ReadAllBytes(Path.Combine(board, "samples-000020.png")), pictures[0].Value.Image!.Encoded);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], pictures[1].Value.Image!.Encoded.Take(4));
        Assert.True(pictures[1].Value.Image!.Width > 100);

        // Weight histograms of both networks, every parameter, at histograms_every and at the end.
        var histogramTags = events.SelectMany(e => e.Values).Where(v => v.Histogram is not null).Select(v => v.Tag).Distinct().ToList();
        Assert.Contains(histogramTags, t => t.StartsWith("weights/generator/", StringComparison.Ordinal));
        Assert.Contains(histogramTags, t => t.StartsWith("weights/discriminator/", StringComparison.Ordinal));
        Assert.All(histogramTags, t => Assert.Equal([20L, 40], TensorBoardEvents.Values(events, t).Select(h => h.Step)));

        // The resolved recipe in the text tab.
        string recipe = Assert.Single(TensorBoardEvents.Values(events, "recipe/text_summary")).Value.Text!;
        Assert.Contains("\"name\": \"gan1d\"", recipe);
        Assert.Contains("\"histograms_every\": 20", recipe);
    }

    [Fact]
    public void WithoutPlotsOrImagesTheLogHasScalarsButNoPictures()
    {
        using var root = new TemporaryFolder();
        string noPlots = Path.Combine(root.Path, "no-plots"), noImages = Path.Combine(root.Path, "no-images");

        RecipeRunner.Train(ShortRun with { Steps = 5 }, new RunOptions { OutputFolder = noPlots, WritePlots = false });
        RecipeRunner.Train(ShortRun with { Steps = 5, Logging = new() { Images = false } }, new RunOptions { OutputFolder = noImages });

        foreach (string run in new[] { noPlots, noImages })
        {
            var events = TensorBoardEvents.ReadFolder(Path.Combine(run, RunFolder.TensorBoardFolder));
            Assert.Equal(5, TensorBoardEvents.Scalars(events, "train/d_loss").Count);
            Assert.Empty(TensorBoardEvents.Values(events, "samples"));
            Assert.DoesNotContain(events.SelectMany(e => e.Values), v => v.Histogram is not null);
        }
    }
}
