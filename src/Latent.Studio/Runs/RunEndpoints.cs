using System.Text.Json.Nodes;
using Latent.Recipes;
using Latent.Studio.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Latent.Studio.Runs;

/// <summary>
/// The runs browser's API, read-only: the list of runs, one run's recipe, evaluations, health and images, its metrics as
/// columns, its files, and an event stream that follows a training as it appends to its files.
/// </summary>
internal static class RunEndpoints
{
    /// <summary>Ticks of a run's event stream per second: new metric lines are sent at this steady rate.</summary>
    public const double StreamFramesPerSecond = 4;

    public static void Map(IEndpointRouteBuilder app, RunsRoot root)
    {
        app.MapGet("/api/runs", () => Results.Json(new JsonObject
        {
            ["root"] = root.Path,
            ["runs"] = new JsonArray([.. root.RunNames().Select(name => Summary(root, name))]),
        }));

        app.MapGet("/api/runs/{run}", (string run) =>
            root.Folder(run) is { } folder ? Results.Json(Detail(run, folder)) : NotFound(run));

        app.MapGet("/api/runs/{run}/metrics", (string run, HttpRequest request) =>
        {
            int max = Parameters.FromQuery(request.Query).Whole("max", 10, 20_000, 2_000);
            if (root.Folder(run) is not { } folder)
                return NotFound(run);
            var (lines, offset) = RunFiles.ReadLines(Path.Combine(folder, "metrics.jsonl"), 0, 256 << 20);
            return Results.Json(new JsonObject { ["lines"] = lines.Count, ["offset"] = offset, ["columns"] = RunFiles.Columns(lines, max) });
        });

        app.MapGet("/api/runs/{run}/file", (string run, HttpRequest request) =>
        {
            string path = Parameters.FromQuery(request.Query).Text("path", 512) ?? throw new BadParameterException("path: missing; expected a file of the run, such as samples.png");
            if (root.File(run, path) is not { } file)
                return ErrorResponse.Result(StatusCodes.Status404NotFound, $"no file '{path}' in run '{run}' (only .png, .json, .jsonl, .txt and .csv files inside the run folder are served)");
            return Results.Stream(new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), file.ContentType);
        });

        app.MapGet("/api/runs/{run}/events", async (string run, HttpContext context) =>
        {
            if (root.Folder(run) is not { } folder)
            {
                await ErrorResponse.Write(context, StatusCodes.Status404NotFound, $"no run '{run}' under the runs root");
                return;
            }
            await Follow(context, folder, Parameters.FromQuery(context.Request.Query));
        });
    }

    /// <summary>
    /// Sends, at a steady rate, the metric, evaluation and health lines appended since the last tick (from the byte
    /// offsets the page already has), and the names of the run's images, until the client goes away.
    /// </summary>
    private static async Task Follow(HttpContext context, string folder, Parameters query)
    {
        // Metrics from the offset the page already has (its /metrics reply); evaluations and health from now on, since
        // the page has read those files whole with the run's detail.
        var offsets = new Dictionary<string, long>
        {
            ["metrics.jsonl"] = (long)query.Number("from", 0, 1e15, 0),
            ["evals.jsonl"] = RunFiles.ReadLines(Path.Combine(folder, "evals.jsonl"), 0).NextOffset,
            ["health.jsonl"] = RunFiles.ReadLines(Path.Combine(folder, "health.jsonl"), 0).NextOffset,
        };
        var cancellation = context.RequestAborted;
        await ServerSentEvents.Start(context);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / StreamFramesPerSecond));
        long frame = 0;
        try
        {
            do
            {
                var message = new JsonObject { ["frame"] = frame++ };
                foreach (string file in offsets.Keys.ToList())
                {
                    var (lines, next) = RunFiles.ReadLines(Path.Combine(folder, file), offsets[file]);
                    offsets[file] = next;
                    // A training far ahead of the page sends its backlog thinned to 2,000 lines a tick; health lines
                    // carry text, so they go as they are.
                    message[Path.GetFileNameWithoutExtension(file)] = file == "health.jsonl"
                        ? new JsonArray([.. lines.TakeLast(200)])
                        : RunFiles.Columns(lines, 2_000);
                    message[Path.GetFileNameWithoutExtension(file) + "_offset"] = next;
                }
                message["images"] = Images(folder);
                message["eval"] = RunFiles.ReadJson(Path.Combine(folder, "eval.json"));
                await ServerSentEvents.Send(context, message.ToJsonString(), cancellation);
            }
            while (await timer.WaitForNextTickAsync(cancellation));
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
        catch (IOException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    private static JsonObject Summary(RunsRoot root, string name)
    {
        string folder = root.Folder(name)!;
        var recipe = RunFiles.ReadJson(Path.Combine(folder, "recipe.json")) as JsonObject;
        var metrics = new FileInfo(Path.Combine(folder, "metrics.jsonl"));
        return new JsonObject
        {
            ["name"] = name,
            ["family"] = recipe?["family"]?.DeepClone(),
            ["data"] = recipe?["data"]?["kind"]?.DeepClone(),
            ["steps"] = recipe?["steps"]?.DeepClone(),
            ["description"] = recipe?["description"]?.DeepClone(),
            ["finished"] = IsFinished(folder),
            ["updated"] = metrics.Exists ? metrics.LastWriteTimeUtc.ToString("O") : null,
        };
    }

    private static JsonObject Detail(string name, string folder) => new()
    {
        ["name"] = name,
        ["recipe"] = RunFiles.ReadJson(Path.Combine(folder, "recipe.json")),
        ["eval"] = RunFiles.ReadJson(Path.Combine(folder, "eval.json")),
        ["evals"] = RunFiles.Columns(RunFiles.ReadLines(Path.Combine(folder, "evals.jsonl"), 0).Lines, 2_000),
        ["health"] = new JsonArray([.. RunFiles.ReadLines(Path.Combine(folder, "health.jsonl"), 0).Lines.TakeLast(200)]),
        ["images"] = Images(folder),
        ["finished"] = IsFinished(folder),
    };

    /// <summary>A run is finished when it has its evaluation, written after the last step (checkpoints alone do not say so: a stopped run has them too).</summary>
    private static bool IsFinished(string folder) => File.Exists(Path.Combine(folder, RunFolder.EvaluationFile));

    /// <summary>The run's pictures, sorted by name (so samples-STEP.png come in step order).</summary>
    private static JsonArray Images(string folder)
    {
        try
        {
            return new JsonArray([.. Directory.EnumerateFiles(folder, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(n => (JsonNode?)JsonValue.Create(n))]);
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static IResult NotFound(string run) => ErrorResponse.Result(StatusCodes.Status404NotFound, $"no run '{run}' under the runs root");
}
