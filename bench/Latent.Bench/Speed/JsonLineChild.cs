using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latent.Bench.Speed;

/// <summary>
/// A long-lived child process asked one JSON line per request on its standard input, answering with one JSON line on
/// its standard output; an answer with an <c>error</c> field is thrown. Closing its input ends it.
/// </summary>
internal sealed class JsonLineChild : IDisposable
{
    private readonly Process _process;

    public JsonLineChild(string label, ProcessStartInfo start)
    {
        Label = label;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{label}: cannot start {start.FileName}");
    }

    public string Label { get; }

    public JsonObject Ask(object request)
    {
        _process.StandardInput.WriteLine(JsonSerializer.Serialize(request));
        _process.StandardInput.Flush();
        string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"{Label}: the worker exited");
        var answer = JsonNode.Parse(line)!.AsObject();
        if (answer["error"] is { } error)
            throw new InvalidOperationException($"{Label}: {error}");
        return answer;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
                _process.Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
