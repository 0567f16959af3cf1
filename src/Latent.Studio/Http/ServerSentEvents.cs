using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Latent.Studio.Http;

/// <summary>Writing a text/event-stream reply: one <c>data:</c> line per event, flushed at once.</summary>
internal static class ServerSentEvents
{
    public static async Task Start(HttpContext context)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        // A comment line, so that the client sees the stream open before the first frame.
        await context.Response.WriteAsync(": latent studio\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>Sends one event whose data is a single line of JSON.</summary>
    public static async Task Send(HttpContext context, string json, CancellationToken cancellation)
    {
        var bytes = Encoding.UTF8.GetBytes("data: " + json + "\n\n");
        await context.Response.Body.WriteAsync(bytes, cancellation);
        await context.Response.Body.FlushAsync(cancellation);
    }
}
