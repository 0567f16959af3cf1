using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Latent.Studio.Tests;

/// <summary>Live panels: frames at a steady rate, a bound on sessions, sessions freed when their page goes away, and the panels' own questions.</summary>
[Collection(StudioCollection.Name)]
public class LiveSessionTests(StudioFixture studio, ITestOutputHelper output)
{
    [Fact]
    public async Task ClosedEventStreamFreesItsSession()
    {
        Assert.True(await studio.WaitForNoSessions());
        string id = await studio.StartSession("modes", new { loss = "wgan-gp", playing = true });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (var events = await EventStream.Open(studio.Client, $"/api/live/{id}/events", timeout.Token))
        {
            var frame = await events.Next(timeout.Token);
            Assert.NotNull(frame);
            Assert.Equal(1, await studio.LiveSessions());
        }
        // The tab is gone: the session's thread ends and its model is disposed.
        Assert.True(await studio.WaitForNoSessions(), "the session outlived its event stream");
        var control = await studio.Client.PostAsJsonAsync($"/api/live/{id}/control", new { action = "play" });
        Assert.Equal(HttpStatusCode.NotFound, control.StatusCode);
    }

    [Fact]
    public async Task SessionWhosePageNeverConnectsIsStopped()
    {
        Assert.True(await studio.WaitForNoSessions());
        await studio.StartSession("arena", new { });
        Assert.Equal(1, await studio.LiveSessions());
        // The fixture's studio waits 5 seconds for a stream.
        Assert.True(await studio.WaitForNoSessions(15), "a session nobody watches was kept");
    }

    [Fact]
    public async Task SecondViewerOfOneSessionIsRefused()
    {
        Assert.True(await studio.WaitForNoSessions());
        string id = await studio.StartSession("patterns", new { });
        await using var first = await EventStream.Open(studio.Client, $"/api/live/{id}/events");
        var second = await studio.Client.GetAsync($"/api/live/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task DivergedSessionReportsItsErrorAndIsFreed()
    {
        Assert.True(await studio.WaitForNoSessions());
        // Plain GAN with learning rates of 0.1 on both sides: the 1D minimax game blows up within a few hundred steps
        // or the session still reports frames; either way, stopping it must free it.
        string id = await studio.StartSession("arena", new { loss = "minimax", lr_d = 0.1, lr_g = 0.1, steps_per_frame = 50, playing = true });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = await EventStream.Open(studio.Client, $"/api/live/{id}/events", timeout.Token);
        JsonElement? frame = null;
        for (int i = 0; i < 30 && (frame = await events.Next(timeout.Token)) is { } f && !f.TryGetProperty("error", out _); i++)
        {
        }
        if (frame is { } last && last.TryGetProperty("error", out var error))
        {
            Assert.Contains("diverged", error.GetString());
            Assert.Null(await events.Next(timeout.Token)); // the stream ends after the error
        }
        else
        {
            await studio.Client.PostAsJsonAsync($"/api/live/{id}/control", new { action = "stop" });
        }
        Assert.True(await studio.WaitForNoSessions());
    }

    [Fact]
    public async Task PausedSessionTakesSingleSteps()
    {
        Assert.True(await studio.WaitForNoSessions());
        string id = await studio.StartSession("modes", new { loss = "hinge" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = await EventStream.Open(studio.Client, $"/api/live/{id}/events", timeout.Token);
        Assert.Equal(0, (await events.Next(timeout.Token))!.Value.GetProperty("step").GetInt64());
        await studio.Client.PostAsJsonAsync($"/api/live/{id}/control", new { action = "step", steps = 3 });
        long step = 0;
        for (int i = 0; i < 50 && step < 3; i++)
            step = (await events.Next(timeout.Token))!.Value.GetProperty("step").GetInt64();
        Assert.Equal(3, step);
        // Still paused: later frames repeat step 3.
        for (int i = 0; i < 3; i++)
            Assert.Equal(3, (await events.Next(timeout.Token))!.Value.GetProperty("step").GetInt64());
    }

    [Fact]
    public async Task SlowMotionTakesOneStepPerFrame()
    {
        Assert.True(await studio.WaitForNoSessions());
        string id = await studio.StartSession("modes", new { playing = true, steps_per_frame = 20 });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = await EventStream.Open(studio.Client, $"/api/live/{id}/events", timeout.Token);
        await studio.Client.PostAsJsonAsync($"/api/live/{id}/control", new { action = "speed", slow_motion = true });
        JsonElement frame;
        do
            frame = (await events.Next(timeout.Token))!.Value;
        while (!frame.GetProperty("slow_motion").GetBoolean());
        long previous = frame.GetProperty("step").GetInt64();
        for (int i = 0; i < 3; i++)
        {
            long step = (await events.Next(timeout.Token))!.Value.GetProperty("step").GetInt64();
            Assert.Equal(previous + 1, step);
            previous = step;
        }
    }

    [Fact]
    public async Task ModeCollapseFrameHasEveryLayerOfThePicture()
    {
        Assert.True(await studio.WaitForNoSessions());
        string id = await studio.StartSession("modes", new { data = "grid", loss = "wgan", playing = true });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = await EventStream.Open(studio.Client, $"/api/live/{id}/events", timeout.Token);
        JsonElement frame;
        do
            frame = (await events.Next(timeout.Token))!.Value;
        while (frame.GetProperty("step").GetInt64() == 0);
        Assert.Equal(2 * 1000, frame.GetProperty("real").GetArrayLength());
        Assert.Equal(2 * 1000, frame.GetProperty("fake").GetArrayLength());
        Assert.Equal(40 * 40, frame.GetProperty("heat").GetProperty("values").GetArrayLength());
        Assert.False(frame.GetProperty("heat").GetProperty("probabilities").GetBoolean()); // a critic's scores are not probabilities
        Assert.Equal(2 * 15 * 15, frame.GetProperty("manifold").GetArrayLength());
        Assert.Equal(4 * 120, frame.GetProperty("arrows").GetArrayLength());
        var metrics = frame.GetProperty("metrics");
        Assert.Equal(25, metrics.GetProperty("mode_count").GetInt32());
        Assert.InRange(metrics.GetProperty("high_quality_share").GetDouble(), 0, 1);
        Assert.True(metrics.TryGetProperty("wasserstein", out _));
    }

    [Fact]
    public async Task DrawnDataTrainsTheGanOnThePoints()
    {
        Assert.True(await studio.WaitForNoSessions());
        var points = Enumerable.Range(0, 200).Select(i => new[] { 1.5 + 0.01 * (i % 10), -1.0 + 0.01 * (i / 10) }).ToArray();
        string id = await studio.StartSession("modes", new { data = "drawn", points, playing = true });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = await EventStream.Open(studio.Client, $"/api/live/{id}/events", timeout.Token);
        var frame = (await events.Next(timeout.Token))!.Value;
        var real = frame.GetProperty("real").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (int k = 0; k < real.Length; k += 2)
        {
            Assert.InRange(real[k], 1.5, 1.6);
            Assert.InRange(real[k + 1], -1.0, -0.8);
        }
        Assert.False(frame.GetProperty("metrics").TryGetProperty("modes_covered", out _)); // no known modes for drawn data
    }

    [Fact]
    public async Task PatternAutoencoderLearnsAndAnswersCodes()
    {
        Assert.True(await studio.WaitForNoSessions());
        string id = await studio.StartSession("patterns", new { steps_per_frame = 50 });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var events = await EventStream.Open(studio.Client, $"/api/live/{id}/events", timeout.Token);
        JsonElement frame;
        do
            frame = (await events.Next(timeout.Token))!.Value;
        while (frame.GetProperty("playing").GetBoolean()); // the preset's 2,000 steps, then it pauses by itself
        Assert.Equal(2000, frame.GetProperty("step").GetInt64());

        float[] plus = [0, 1, 0, 1, 1, 1, 0, 1, 0];
        var encoded = await (await studio.Client.PostAsJsonAsync($"/api/live/{id}/encode", new { pixels = plus })).Content.ReadFromJsonAsync<JsonElement>();
        var code = encoded.GetProperty("code").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var reconstruction = encoded.GetProperty("reconstruction").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(3, code.Length);
        Assert.All(code, v => Assert.InRange(v, -1f, 1f));
        Assert.Equal(plus, reconstruction.Select(v => v > 0.5f ? 1f : 0f));

        var decoded = await (await studio.Client.PostAsJsonAsync($"/api/live/{id}/decode", new { code })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(reconstruction, decoded.GetProperty("reconstruction").EnumerateArray().Select(v => v.GetSingle()));

        var bad = await studio.Client.PostAsJsonAsync($"/api/live/{id}/decode", new { code = new[] { 0, 0 } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    /// <summary>
    /// The load test: 20 viewers follow one run while 4 live panels train (the studio's bound); everyone keeps receiving
    /// frames, a fifth panel is refused, and when all close the sessions are gone. Frame rates are reported, not asserted.
    /// </summary>
    [Fact]
    public async Task TwentyRunViewersAndFourLivePanelsKeepReceivingFrames()
    {
        Assert.True(await studio.WaitForNoSessions());
        long memoryBefore = (await studio.Client.GetFromJsonAsync<JsonElement>("/api/status")).GetProperty("working_set_bytes").GetInt64();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string[] kinds = ["modes", "modes", "arena", "patterns"];
        var ids = new List<string>();
        foreach (string kind in kinds)
            ids.Add(await studio.StartSession(kind, new { playing = true }));
        var fifth = await studio.Client.PostAsJsonAsync("/api/live/arena", new { });
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.Contains("all 4 live sessions are in use", await fifth.Content.ReadAsStringAsync());

        const int FramesEach = 8;
        var clock = Stopwatch.StartNew();
        var liveReaders = ids.Select(async (id, k) =>
        {
            await using var events = await EventStream.Open(studio.Client, $"/api/live/{id}/events", timeout.Token);
            for (int i = 0; i < FramesEach; i++)
            {
                var frame = await events.Next(timeout.Token);
                Assert.True(frame is { } f && !f.TryGetProperty("error", out _), $"{kinds[k]} session, frame {i}: {(frame is null ? "the stream ended" : frame.Value.GetRawText())}");
            }
            return clock.Elapsed.TotalSeconds;
        }).ToList();
        var runReaders = Enumerable.Range(0, 20).Select(async _ =>
        {
            await using var events = await EventStream.Open(studio.Client, $"/api/runs/{StudioFixture.ToyRun}/events", timeout.Token);
            for (int i = 0; i < FramesEach; i++)
            {
                var frame = (await events.Next(timeout.Token))!.Value;
                Assert.Equal(i, frame.GetProperty("frame").GetInt64());
                Assert.Contains("samples.png", frame.GetProperty("images").EnumerateArray().Select(v => v.GetString()));
            }
            return clock.Elapsed.TotalSeconds;
        }).ToList();
        double[] liveSeconds = await Task.WhenAll(liveReaders);
        double[] runSeconds = await Task.WhenAll(runReaders);
        output.WriteLine($"4 live panels: {FramesEach} frames each in {liveSeconds.Max():F2} s at worst ({FramesEach / liveSeconds.Max():F1} frames/s)");
        output.WriteLine($"20 run viewers: {FramesEach} frames each in {runSeconds.Max():F2} s at worst ({FramesEach / runSeconds.Max():F1} frames/s)");

        // Every stream is closed now: every session ends and frees its model.
        Assert.True(await studio.WaitForNoSessions(), "live sessions outlived their streams");
        GC.Collect();
        long memoryAfter = (await studio.Client.GetFromJsonAsync<JsonElement>("/api/status")).GetProperty("working_set_bytes").GetInt64();
        output.WriteLine($"studio working set: {memoryBefore / 1e6:F0} MB before, {memoryAfter / 1e6:F0} MB after the sessions closed");
    }
}
