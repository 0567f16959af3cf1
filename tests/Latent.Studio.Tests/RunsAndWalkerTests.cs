using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Latent.Studio.Tests;

/// <summary>The runs browser's and the walker's API on the fixture's runs.</summary>
[Collection(StudioCollection.Name)]
public class RunsAndWalkerTests(StudioFixture studio)
{
    [Fact]
    public async Task RunDetailHasRecipeEvaluationHealthAndImages()
    {
        var run = await studio.Client.GetFromJsonAsync<JsonElement>($"/api/runs/{StudioFixture.ToyRun}");
        Assert.Equal("wasserstein", run.GetProperty("recipe").GetProperty("gan").GetProperty("loss").GetString());
        Assert.InRange(run.GetProperty("eval").GetProperty("modes_covered").GetDouble(), 0, 8);
        Assert.Equal(2, run.GetProperty("health").GetArrayLength());
        var images = run.GetProperty("images").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Contains("samples.png", images);
        Assert.Contains("samples-000050.png", images);
    }

    [Fact]
    public async Task MetricsComeAsColumnsThinnedToTheAskedSize()
    {
        var all = await studio.Client.GetFromJsonAsync<JsonElement>($"/api/runs/{StudioFixture.ToyRun}/metrics");
        Assert.Equal(100, all.GetProperty("lines").GetInt32());
        var columns = all.GetProperty("columns");
        Assert.Equal(100, columns.GetProperty("step").GetArrayLength());
        foreach (string figure in new[] { "d_loss", "g_loss", "d_real", "d_fake", "wasserstein", "gp" })
            Assert.Equal(100, columns.GetProperty(figure).GetArrayLength());

        var thin = await studio.Client.GetFromJsonAsync<JsonElement>($"/api/runs/{StudioFixture.ToyRun}/metrics?max=10");
        var steps = thin.GetProperty("columns").GetProperty("step").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.InRange(steps.Count, 10, 11);
        Assert.Equal(100, steps[^1]); // the last step is always kept
    }

    [Fact]
    public async Task RunStreamSendsLinesAppendedWhileItIsOpen()
    {
        // A run being written: its stream starts at the end of what exists and picks up each new complete line.
        string folder = Path.Combine(studio.Root, "growing");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(studio.Root, StudioFixture.ToyRun, "recipe.json"), Path.Combine(folder, "recipe.json"), overwrite: true);
        string metrics = Path.Combine(folder, "metrics.jsonl");
        File.WriteAllText(metrics, "{\"step\":1,\"d_loss\":0.5}\n");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await using var events = await EventStream.Open(studio.Client, "/api/runs/growing/events", timeout.Token);
            var first = (await events.Next(timeout.Token))!.Value;
            Assert.Equal(1, first.GetProperty("metrics").GetProperty("step").GetArrayLength());
            File.AppendAllText(metrics, "{\"step\":2,\"d_loss\":0.4}\n{\"step\":3,\"d_lo"); // the last line is half written
            var steps = new List<double>();
            while (steps.Count < 1)
                steps.AddRange((await events.Next(timeout.Token))!.Value.GetProperty("metrics").GetProperty("step").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal([2.0], steps);
            File.AppendAllText(metrics, "ss\":0.3}\n");
            steps.Clear();
            while (steps.Count < 1)
                steps.AddRange((await events.Next(timeout.Token))!.Value.GetProperty("metrics").GetProperty("step").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal([3.0], steps);
            File.AppendAllText(Path.Combine(folder, "health.jsonl"), "{\"step\":3,\"message\":\"losses are steady\"}\n");
            JsonElement health;
            do
                health = (await events.Next(timeout.Token))!.Value.GetProperty("health");
            while (health.GetArrayLength() == 0);
            Assert.Equal("losses are steady", health[0].GetProperty("message").GetString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task WalkerListsOnlyImageGenerativeRuns()
    {
        var models = await studio.Client.GetFromJsonAsync<JsonElement>("/api/walker/models");
        var names = models.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Equal([StudioFixture.ImageRun], names);
    }

    [Fact]
    public async Task WalkerImageChangesAlongThePathAndMatchesItsEnds()
    {
        async Task<int[]> Pixels(string query)
        {
            var image = await studio.Client.GetFromJsonAsync<JsonElement>($"/api/walker/decode?run={StudioFixture.ImageRun}&{query}");
            Assert.Equal(28, image.GetProperty("width").GetInt32());
            return [.. image.GetProperty("pixels").EnumerateArray().Select(v => v.GetInt32())];
        }
        int[] start = await Pixels("a=seed:1&b=seed:2&t=0");
        int[] middle = await Pixels("a=seed:1&b=seed:2&t=0.5");
        int[] end = await Pixels("a=seed:1&b=seed:2&t=1");
        int[] endAlone = await Pixels("a=seed:2&b=seed:7&t=0&path=linear");
        Assert.Equal(784, start.Length);
        Assert.NotEqual(start, end);
        Assert.NotEqual(start, middle);
        Assert.Equal(end, endAlone); // t = 1 is b itself, on either path
        int[] digitThree = await Pixels("a=class:3&b=class:8&t=0&path=linear");
        Assert.True(digitThree.Max() > 128, "the mean code of the 3s decodes to a blank image");
    }

    [Fact]
    public async Task WalkerRefusesRunsItCannotWalk()
    {
        var missing = await studio.Client.GetAsync("/api/walker/decode?run=nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var toy = await studio.Client.GetAsync($"/api/walker/decode?run={StudioFixture.ToyRun}");
        Assert.Equal(HttpStatusCode.BadRequest, toy.StatusCode);
        Assert.Contains("needs an image GAN or VAE", await toy.Content.ReadAsStringAsync());
    }
}
