using System.Text.Json;
using Latent.Studio.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Latent.Studio.Live;

/// <summary>
/// Live panels over HTTP: POST starts a session (201 with its id, 429 when every place is taken), its event stream
/// carries the frames and, when closed, ends the session; controls and questions are small POSTs.
/// </summary>
internal static class LiveEndpoints
{
    private static readonly string[] Actions = ["play", "pause", "step", "speed", "learning-rates", "stop"];

    public static void Map(IEndpointRouteBuilder app, LiveSessions sessions)
    {
        app.MapPost("/api/live/{kind}", async (string kind, HttpRequest request) =>
        {
            var body = await JsonBody.Read(request);
            LiveSession session = kind switch
            {
                "modes" => ModeCollapseSession.FromRequest(body),
                "arena" => ArenaSession.FromRequest(body),
                "patterns" => PatternSession.FromRequest(body),
                _ => throw new BadParameterException($"unknown live panel '{kind}'; expected modes, arena or patterns"),
            };
            if (!sessions.TryStart(session))
                return ErrorResponse.Result(StatusCodes.Status429TooManyRequests,
                    $"all {sessions.Capacity} live sessions are in use; close another live panel (or its tab) and try again");
            return Results.Json(new Dictionary<string, object> { ["id"] = session.Id, ["kind"] = session.Kind }, statusCode: StatusCodes.Status201Created);
        });

        app.MapGet("/api/live/{id}/events", async (string id, HttpContext context) =>
        {
            if (sessions.Find(id) is not { } session)
            {
                if (sessions.FailureOf(id) is { } failure)
                {
                    // It failed before the page connected: the page still learns why.
                    await ServerSentEvents.Start(context);
                    await ServerSentEvents.Send(context, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = failure }), context.RequestAborted);
                    return;
                }
                await ErrorResponse.Write(context, StatusCodes.Status404NotFound, $"no live session '{id}' (it ended or never began)");
                return;
            }
            if (!session.Attach())
            {
                await ErrorResponse.Write(context, StatusCodes.Status409Conflict, $"live session '{id}' already has a viewer; start a new session");
                return;
            }
            try
            {
                await ServerSentEvents.Start(context);
                await foreach (string frame in session.Frames.ReadAllAsync(context.RequestAborted))
                    await ServerSentEvents.Send(context, frame, context.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The page was closed or navigated away.
            }
            finally
            {
                // Whatever ended the stream ends the session: its thread and native memory are freed.
                session.Stop();
            }
        });

        app.MapPost("/api/live/{id}/control", async (string id, HttpRequest request) =>
        {
            var body = await JsonBody.Read(request);
            if (sessions.Find(id) is not { } session)
                return NoSession(id);
            var parameters = Parameters.FromJson(body);
            switch (parameters.Choice("action", Actions, ""))
            {
                case "play":
                    session.Control(playing: true);
                    break;
                case "pause":
                    session.Control(playing: false);
                    break;
                case "step":
                    session.Control(playing: false, singleSteps: parameters.Whole("steps", 1, 100, 1));
                    break;
                case "speed":
                    session.Control(stepsPerFrame: parameters.Whole("steps_per_frame", 1, 50, session.StepsPerFrame),
                                    slowMotion: parameters.Flag("slow_motion", session.SlowMotion));
                    break;
                case "learning-rates":
                    double lrD = parameters.LearningRate("lr_d", 0.1, 1e-3), lrG = parameters.LearningRate("lr_g", 0.1, 1e-3);
                    switch (session)
                    {
                        case ModeCollapseSession modes:
                            modes.SetLearningRates(lrD, lrG);
                            break;
                        case ArenaSession arena:
                            arena.SetLearningRates(lrD, lrG);
                            break;
                        default:
                            throw new BadParameterException($"a {session.Kind} session has no discriminator learning rate to set");
                    }
                    break;
                case "stop":
                    session.Stop();
                    break;
                default:
                    throw new BadParameterException($"action: missing; expected one of {string.Join(", ", Actions)}");
            }
            return Results.Json(new Dictionary<string, object> { ["id"] = id, ["ok"] = true });
        });

        app.MapPost("/api/live/{id}/encode", async (string id, HttpRequest request) =>
        {
            var body = await JsonBody.Read(request);
            if (sessions.Find(id) is not PatternSession session)
                return NoSession(id);
            float[] pixels = Numbers(body, "pixels", 9, 0, 1);
            try
            {
                var (code, reconstruction) = await session.Ask(() => session.Encode(pixels));
                return Results.Json(new Dictionary<string, float[]> { ["code"] = code, ["reconstruction"] = reconstruction });
            }
            catch (InvalidOperationException)
            {
                return NoSession(id); // it ended while the question waited
            }
        });

        app.MapPost("/api/live/{id}/decode", async (string id, HttpRequest request) =>
        {
            var body = await JsonBody.Read(request);
            if (sessions.Find(id) is not PatternSession session)
                return NoSession(id);
            float[] code = Numbers(body, "code", 3, -1.5, 1.5);
            try
            {
                var reconstruction = await session.Ask(() => session.Decode(code));
                return Results.Json(new Dictionary<string, float[]> { ["reconstruction"] = reconstruction });
            }
            catch (InvalidOperationException)
            {
                return NoSession(id);
            }
        });

        app.MapDelete("/api/live/{id}", (string id) =>
        {
            if (sessions.Find(id) is not { } session)
                return NoSession(id);
            session.Stop();
            return Results.Json(new Dictionary<string, object> { ["id"] = id, ["stopped"] = true });
        });
    }

    /// <summary>Exactly <paramref name="count"/> finite numbers in [min, max] under <paramref name="name"/>.</summary>
    private static float[] Numbers(JsonElement body, string name, int count, double min, double max)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != count)
            throw new BadParameterException($"{name}: expected an array of {count} numbers in [{min}, {max}]");
        var values = new float[count];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out double value) || !double.IsFinite(value) || value < min || value > max)
                throw new BadParameterException($"{name}[{i}]: expected a number in [{min}, {max}]");
            values[i++] = (float)value;
        }
        return values;
    }

    private static IResult NoSession(string id) =>
        ErrorResponse.Result(StatusCodes.Status404NotFound, $"no live session '{id}' of that kind (it ended or never began)");
}
