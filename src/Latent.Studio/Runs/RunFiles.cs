using System.Text;
using System.Text.Json.Nodes;

namespace Latent.Studio.Runs;

/// <summary>
/// Reads a run folder defensively: files may be missing, half written (a training appends to metrics.jsonl while the
/// studio reads it) or of a newer layout; what cannot be parsed is skipped, never an error for the page.
/// </summary>
internal static class RunFiles
{
    /// <summary>A JSON file as a node, or null when missing or malformed.</summary>
    public static JsonNode? ReadJson(string path)
    {
        try
        {
            return File.Exists(path) ? JsonNode.Parse(ReadShared(path)) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The complete lines of a JSON-lines file from byte <paramref name="offset"/>, parsed (malformed ones skipped), and the
    /// offset after the last complete line: a line still being written is left for the next read.
    /// </summary>
    public static (List<JsonObject> Lines, long NextOffset) ReadLines(string path, long offset, int maxBytes = 8 << 20)
    {
        var lines = new List<JsonObject>();
        try
        {
            if (!File.Exists(path))
                return (lines, offset);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < offset)
                offset = 0; // the file was replaced by a shorter one: read it again from the start
            stream.Seek(offset, SeekOrigin.Begin);
            int length = (int)Math.Min(stream.Length - offset, maxBytes);
            var buffer = new byte[length];
            stream.ReadExactly(buffer, 0, length);
            int end = Array.LastIndexOf(buffer, (byte)'\n');
            if (end < 0)
                return (lines, offset);
            foreach (string line in Encoding.UTF8.GetString(buffer, 0, end).Split('\n'))
            {
                if (line.Length == 0)
                    continue;
                try
                {
                    if (JsonNode.Parse(line) is JsonObject parsed)
                        lines.Add(parsed);
                }
                catch (System.Text.Json.JsonException)
                {
                    // A malformed line is skipped; the rest of the file still shows.
                }
            }
            return (lines, offset + end + 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (lines, offset);
        }
    }

    /// <summary>
    /// Lines as columns, <c>{"step": […], "d_loss": […]}</c>, keeping at most <paramref name="maxPoints"/> evenly spaced
    /// lines (always the last); a figure missing from a line is null there.
    /// </summary>
    public static JsonObject Columns(IReadOnlyList<JsonObject> lines, int maxPoints)
    {
        int stride = Math.Max(1, (lines.Count + maxPoints - 1) / maxPoints);
        var kept = new List<JsonObject>();
        for (int i = 0; i < lines.Count; i += stride)
            kept.Add(lines[i]);
        if (lines.Count > 0 && (lines.Count - 1) % stride != 0)
            kept.Add(lines[^1]);
        var names = new List<string>();
        foreach (var line in kept)
            foreach (var (name, _) in line)
                if (!names.Contains(name))
                    names.Add(name);
        var columns = new JsonObject();
        foreach (string name in names)
        {
            var column = new JsonArray();
            foreach (var line in kept)
                column.Add(line.TryGetPropertyValue(name, out var value) && value is JsonValue number && number.TryGetValue(out double x) ? JsonValue.Create(x) : null);
            columns[name] = column;
        }
        return columns;
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
