using System.Text.Json;

namespace Latent.Studio.Tests;

/// <summary>A client of one server-sent event stream: reads <c>data:</c> lines as JSON frames.</summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<EventStream> Open(HttpClient client, string path, CancellationToken cancellation = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (!response.IsSuccessStatusCode)
            Assert.Fail($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellation)}"); // an error reply is short; a stream is not read here
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellation)));
    }

    /// <summary>The next frame, or null when the stream ended.</summary>
    public async Task<JsonElement?> Next(CancellationToken cancellation)
    {
        while (await _reader.ReadLineAsync(cancellation) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
        }
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
