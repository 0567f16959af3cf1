using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Latent.Studio.Http;

/// <summary>Error replies: a status code and <c>{"error": "…"}</c> saying what was wrong and what was expected.</summary>
internal static class ErrorResponse
{
    // Messages quote what the client sent ('…'); the relaxed encoder keeps them readable (the reply is JSON, served nosniff).
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task Write(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }, Readable));
    }

    public static IResult Result(int status, string message) =>
        Results.Json(new Dictionary<string, string> { ["error"] = message }, Readable, statusCode: status);
}
