using System.Net.Http.Json;
using System.Text.Json;
using Latent.Data.Images;
using Latent.Recipes;
using Latent.Runtime;
using Latent.Training;

namespace Latent.Studio.Tests;

/// <summary>
/// One studio on a free loopback port over a runs root made for the tests: a short WGAN-GP ring run (100 steps) and a GAN one to compare it with (curves, samples,
/// evaluation) with a health.jsonl, a tiny MNIST VAE for the walker (200 steps), and symbolic links that point outside
/// the root, which must never be served.
/// </summary>
public sealed class StudioFixture : IAsyncLifetime
{
    public const string ToyRun = "wgangp8g-tiny";
    public const string SecondToyRun = "gan8g-tiny";
    public const string ImageRun = "mnist-vae-tiny";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "latent-studio-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public string Root => Path.Combine(_folder, "runs");

    /// <summary>A folder beside the root that holds a run and a secret; only links inside the root point at it.</summary>
    public string Outside => Path.Combine(_folder, "outside");

    public StudioServer Server { get; private set; } = null!;

    /// <summary>A client that sends the token with every request.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>A client with no token and no cookies.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        LatentRuntime.EnsureLoaded();
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
        await Task.Run(TrainToyRun);
        await Task.Run(TrainImageRun);

        // Links that lead out of the root: a run folder, a folder inside a run, and a file inside a run.
        File.WriteAllText(Path.Combine(Outside, "recipe.json"), RecipeJson.Serialize(Presets.Get("gan8g")));
        File.WriteAllText(Path.Combine(Outside, "secret.json"), "{\"secret\": \"outside the runs root\"}");
        Directory.CreateSymbolicLink(Path.Combine(Root, "escape-run"), Outside);
        Directory.CreateSymbolicLink(Path.Combine(Root, ToyRun, "escape-dir"), Outside);
        File.CreateSymbolicLink(Path.Combine(Root, ToyRun, "leak.json"), Path.Combine(Outside, "secret.json"));

        Server = await StudioServer.StartAsync(new StudioOptions { Port = 0, RunsRoot = Root, MaxLiveSessions = 4, AttachTimeoutSeconds = 5 });
        // No draining of a closed event stream: the connection closes at once, as a closed tab's does.
        Client = new HttpClient(new SocketsHttpHandler { ResponseDrainTimeout = TimeSpan.Zero }) { BaseAddress = new Uri(Server.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("X-Latent-Token", Server.Token);
        Anonymous = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(Server.BaseUrl) };
    }

    private void TrainToyRun()
    {
        var recipe = Presets.Get("wgangp8g") with { Steps = 100, SampleEvery = 50 };
        RecipeRunner.Train(recipe, new RunOptions { OutputFolder = Path.Combine(Root, ToyRun) });
        // A second run of the same problem under another loss, for the runs browser's comparison.
        RecipeRunner.Train(Presets.Get("gan8g") with { Steps = 100 }, new RunOptions { OutputFolder = Path.Combine(Root, SecondToyRun), WritePlots = false });
        File.WriteAllLines(Path.Combine(Root, ToyRun, "health.jsonl"),
        [
            "{\"step\":50,\"message\":\"critic and generator losses are steady\"}",
            "{\"step\":100,\"message\":\"gradient norms within bounds\"}",
        ]);
    }

    /// <summary>The MNIST VAE of the mnist-vae-mlp preset, 200 steps: its decoder already draws digit-like blobs.</summary>
    private void TrainImageRun()
    {
        var store = new DataStore();
        if (!store.IsInstalled("mnist"))
            store.Fetch("mnist", Console.Out);
        // No thread count in the recipe (as in the preset), so loading the run leaves the studio's alone; training uses every core.
        LatentRuntime.SetThreads(Environment.ProcessorCount);
        var recipe = Presets.Get("mnist-vae-mlp") with { Epochs = null, Steps = 200 };
        using var built = RecipeBuilder.Build(recipe, store);
        built.Fit();
        string folder = Path.Combine(Root, ImageRun);
        Directory.CreateDirectory(folder);
        RunFolder.WriteAtomically(Path.Combine(folder, RunFolder.RecipeFile), RecipeJson.Serialize(built.Recipe));
        // The checkpoint a run of that many steps ends with, without its (slow) evaluation.
        new CheckpointHistory(Path.Combine(folder, RunFolder.CheckpointsFolder))
            .Save(recipe.Steps, checkpoint => Checkpoint.Save(built.Model, checkpoint, new CheckpointInfo(recipe.Steps, new Dictionary<string, double>()), built.CaptureState()));
        LatentRuntime.SetThreads(1);
    }

    /// <summary>Starts a live session of <paramref name="kind"/> and returns its id.</summary>
    public async Task<string> StartSession(string kind, object parameters)
    {
        var response = await Client.PostAsJsonAsync($"/api/live/{kind}", parameters);
        if (!response.IsSuccessStatusCode)
            Assert.Fail($"POST /api/live/{kind}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Live sessions running now, from the studio's status.</summary>
    public async Task<int> LiveSessions() =>
        (await Client.GetFromJsonAsync<JsonElement>("/api/status")).GetProperty("live_sessions").GetInt32();

    /// <summary>Live sessions started since the studio began: a refused request must not change it.</summary>
    public async Task<long> SessionsStarted() =>
        (await Client.GetFromJsonAsync<JsonElement>("/api/status")).GetProperty("live_started").GetInt64();

    /// <summary>Waits (at most <paramref name="seconds"/>) until no live session runs; false if some still do.</summary>
    public async Task<bool> WaitForNoSessions(double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await LiveSessions() == 0)
                return true;
            await Task.Delay(100);
        }
        return false;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Anonymous?.Dispose();
        if (Server is not null)
            await Server.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
