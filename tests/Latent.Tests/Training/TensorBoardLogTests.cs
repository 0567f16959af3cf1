using System.Text;
using Latent.Imaging;
using Latent.Runtime;
using Latent.Tests.Imaging;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Tests.Training;

public class TensorBoardLogTests
{
    [Fact]
    public void TheTestReadersChecksumIsCrc32C()
    {
        // The check value of CRC-32C (Castagnoli) for the ASCII digits 1 to 9.
        Assert.Equal(0xE3069283u, TensorBoardEvents.Crc32C("123456789"u8));
    }

    [Fact]
    public void TheTestReaderReadsTorchSharpsOwnSummaryWriter()
    {
        // An independent writer checks the reader: what TorchSharp's SummaryWriter writes, the reader must decode.
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        var writer = TorchSharp.torch.utils.tensorboard.SummaryWriter(folder.Path);
        writer.add_scalar("loss", 0.25f, 3);
        writer.add_scalar("loss", -1.5f, 4);
        writer.add_text("note", "hello", 5);

        var events = TensorBoardEvents.ReadFolder(folder.Path);

        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal([(3L, 0.25f), (4L, -1.5f)], TensorBoardEvents.Scalars(events, "loss"));
        var (step, text) = Assert.Single(TensorBoardEvents.Values(events, "note/text_summary"));
        Assert.Equal(5, step);
        Assert.Equal("hello", text.Text);
        Assert.Equal("text", text.Plugin);
    }

    [Fact]
    public void EveryStepsFiguresAreScalarsUnderTrainWithTheirValues()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        using var model = new ScriptedModel(step => 1.0 / step);
        var log = new TensorBoardLog(folder.Path);

        new Trainer([log]).Fit(model, new CountingBatches(), 20);

        string file = Assert.Single(TensorBoardEvents.EventFiles(folder.Path));
        Assert.Matches(@"^events\.out\.tfevents\.[0-9]{10}\.", Path.GetFileName(file));
        var events = TensorBoardEvents.ReadFile(file);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal(Enumerable.Range(1, 20).Select(s => ((long)s, (float)(1.0 / s))), TensorBoardEvents.Scalars(events, "train/loss"));
        Assert.Equal(Enumerable.Range(1, 20).Select(s => ((long)s, 1f)), TensorBoardEvents.Scalars(events, "train/other"));
        // Wall times are seconds since 1970 (TorchSharp's SummaryWriter stamps its first event with DateTime.Ticks).
        double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Assert.All(events, e => Assert.InRange(e.WallTime, now - 600, now + 1));
        Assert.Null(log.CurrentFile); // closed at the end
    }

    [Theory]
    [InlineData(0, 10_000, 1)]
    [InlineData(0, 10_001, 2)]
    [InlineData(0, 25_000, 3)]
    [InlineData(0, 1_000_000, 100)]
    [InlineData(7, 100, 7)]
    [InlineData(50, 1_000_000, 50)]
    public void TheAutomaticIntervalKeepsAbout10000PointsAndAnExplicitOneIsKept(long every, long steps, long interval)
    {
        Assert.Equal(interval, TensorBoardLog.ScalarInterval(new TensorBoardOptions { ScalarsEvery = every }, steps));
    }

    [Fact]
    public void AnIntervalWritesItsMultiplesAndTheFirstAndLastSteps()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        using var model = new ScriptedModel(step => step);

        new Trainer([new TensorBoardLog(folder.Path, new TensorBoardOptions { ScalarsEvery = 5 })]).Fit(model, new CountingBatches(), 12);

        Assert.Equal([(1L, 1f), (5L, 5f), (10L, 10f), (12L, 12f)], TensorBoardEvents.Scalars(TensorBoardEvents.ReadFolder(folder.Path), "train/loss"));
    }

    [Fact]
    public void AContinuedRunWritesANewFileThatStartsASessionAtItsFirstStep()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        using var model = new ScriptedModel(step => step);
        var log = new TensorBoardLog(folder.Path, new TensorBoardOptions { Description = "the recipe" });

        new Trainer([log]).Fit(model, new CountingBatches(), 6);
        new Trainer([log]).Fit(model, new CountingBatches(), 10, startStep: 6);

        var files = TensorBoardEvents.EventFiles(folder.Path);
        Assert.Equal(2, files.Count);
        var first = TensorBoardEvents.ReadFile(files[0]);
        var second = TensorBoardEvents.ReadFile(files[1]);
        Assert.Null(first[1].SessionStatus);
        Assert.Equal("the recipe", Assert.Single(TensorBoardEvents.Values(first, "recipe/text_summary")).Value.Text);
        Assert.Equal("brain.Event:2", second[0].FileVersion);
        Assert.Equal((7L, (int?)1), (second[1].Step, second[1].SessionStatus)); // SessionLog.START at the first new step
        Assert.Empty(TensorBoardEvents.Values(second, "recipe/text_summary"));
        // The same model carries on counting: figures 7 to 10 at steps 7 to 10, and none of the first file's steps again.
        Assert.Equal([(7L, 7f), (8L, 8f), (9L, 9f), (10L, 10f)], TensorBoardEvents.Scalars(second, "train/loss"));
        Assert.Equal(Enumerable.Range(1, 6).Select(s => ((long)s, (float)s)), TensorBoardEvents.Scalars(first, "train/loss"));
    }

    [Fact]
    public void EvaluationsAndSamplePicturesAreWrittenAtTheirSteps()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        using var model = new ScriptedModel(_ => 0);
        byte[] png = PngEncoder.Encode(new byte[3 * 2 * 3], 3, 2);
        var pictured = new List<long>();
        var options = new TensorBoardOptions
        {
            ImagesEvery = 4,
            SampleImage = step =>
            {
                pictured.Add(step);
                return png;
            },
            Evaluations = step => step % 5 == 0 ? [new("fid", step * 1.5), new("kid", double.NaN)] : null,
        };

        new Trainer([new TensorBoardLog(folder.Path, options)]).Fit(model, new CountingBatches(), 10);

        var events = TensorBoardEvents.ReadFolder(folder.Path);
        Assert.Equal([(5L, 7.5f), (10L, 15f)], TensorBoardEvents.Scalars(events, "eval/fid"));
        Assert.Empty(TensorBoardEvents.Values(events, "eval/kid")); // non-finite figures are left out
        Assert.Equal([4, 8, 10], pictured);
        var images = TensorBoardEvents.Values(events, "samples");
        Assert.Equal([4L, 8, 10], images.Select(i => i.Step));
        var image = images[0].Value.Image!;
        Assert.Equal((3, 2, 3), (image.Width, image.Height, image.Colorspace));
        Assert.Equal(png, image.Encoded);
    }

    [Fact]
    public void HistogramsDescribeEveryParameterOfEveryNetwork()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        using var model = new ScriptedModel(_ => 0);
        var network = (TorchSharp.Modules.Linear)model.Networks["network"];
        using (no_grad())
        {
            network.weight!.copy_(tensor(new[] { 0.75f }).reshape(1, 1));
            network.bias!.copy_(tensor(new[] { -0.5f }));
        }

        new Trainer([new TensorBoardLog(folder.Path, new TensorBoardOptions { HistogramsEvery = 3 })]).Fit(model, new CountingBatches(), 4);

        var events = TensorBoardEvents.ReadFolder(folder.Path);
        Assert.Equal([3L, 4], TensorBoardEvents.Values(events, "weights/network/weight").Select(h => h.Step));
        Assert.Equal([3L, 4], TensorBoardEvents.Values(events, "weights/network/bias").Select(h => h.Step));
        // ScriptedModel never updates its network: one weight of 0.75 and one bias of -0.5.
        var weight = TensorBoardEvents.Values(events, "weights/network/weight")[0].Value.Histogram!;
        Assert.Equal((0.75, 0.75, 1.0, 0.75, 0.5625), (weight.Min, weight.Max, weight.Num, weight.Sum, weight.SumSquares));
        Assert.Equal(1.0, weight.Counts.Sum());
        Assert.Equal(weight.Limits.Length, weight.Counts.Length);
        var bias = TensorBoardEvents.Values(events, "weights/network/bias")[0].Value.Histogram!;
        Assert.Equal((-0.5, -0.5, 1.0), (bias.Min, bias.Max, bias.Num));
    }

    [Fact]
    public void HistogramsOfManyValuesCountEveryValueInTheRightBins()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        using var model = new ScriptedModel(_ => 0);
        using var network = nn.Linear(100, 10);
        using (no_grad())
            network.weight!.copy_(linspace(-1, 1, 1000).reshape(10, 100)); // uniform over [-1, 1]
        var log = new TensorBoardLog(folder.Path);
        log.OnStart(new TrainingContext(model, 1, 1));

        log.WriteHistograms(1, new Dictionary<string, nn.Module> { ["wide"] = network });
        log.Dispose();

        var histogram = TensorBoardEvents.Values(TensorBoardEvents.ReadFolder(folder.Path), "weights/wide/weight").Single().Value.Histogram!;
        Assert.Equal(1000, histogram.Num);
        Assert.Equal(1000, histogram.Counts.Sum());
        Assert.Equal(-1, histogram.Min, 1e-6);
        Assert.Equal(1, histogram.Max, 1e-6);
        Assert.Equal(0, histogram.Sum, 1e-3);
        // 64 equal bins over [-1, 1]: each holds 1000/64 ≈ 15.6 values, so 15 or 16.
        Assert.All(histogram.Counts.Where(c => c > 0), c => Assert.InRange(c, 15, 16));
        Assert.Equal(1, histogram.Limits[^1], 1e-6);
    }

    [Fact]
    public void APictureThatIsNotAPngIsRefused()
    {
        using var folder = new TemporaryFolder();
        LatentRuntime.EnsureLoaded();
        using var model = new ScriptedModel(_ => 0);
        var log = new TensorBoardLog(folder.Path);
        log.OnStart(new TrainingContext(model, 1, 1));

        var error = Assert.Throws<ArgumentException>(() => log.WriteImage(1, "samples", Encoding.ASCII.GetBytes("GIF89a not a png at all")));
        log.Dispose();

        Assert.Contains("not a PNG", error.Message);
    }

    [Fact]
    public void WritingBeforeTrainingStartsSaysSo()
    {
        var log = new TensorBoardLog(Path.Combine(Path.GetTempPath(), "never-created"));

        var error = Assert.Throws<InvalidOperationException>(() => log.WriteScalars(1, "train", [new("loss", 1)]));

        Assert.Contains("not open", error.Message);
    }
}
