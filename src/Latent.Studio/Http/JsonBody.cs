using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Latent.Studio.Http;

/// <summary>Reads a request body as JSON; its size is bounded by the server (<see cref="StudioServer.MaxBodyBytes"/>).</summary>
internal static class JsonBody
{
    public static async Task<JsonElement> Read(HttpRequest request)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Body.CanRead))
            return JsonDocument.Parse("{}").RootElement;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 8 }, request.HttpContext.RequestAborted);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new BadParameterException($"the request body is not valid JSON: {e.Message}");
        }
    }
}
