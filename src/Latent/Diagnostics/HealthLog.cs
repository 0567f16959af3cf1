using System.Text;
using System.Text.Json;

namespace Latent.Diagnostics;

/// <summary>
/// The file <c>health.jsonl</c>: one JSON object per event, in step order:
/// <c>{"step":120,"event":"raised","issue":"discriminator_winning","severity":"severe","d_real":0.9993,…,"message":"…","fix":"…"}</c>,
/// then <c>{"step":950,"event":"cleared",…}</c> when the issue is over.
/// </summary>
/// <remarks>Figures are written with round-trip precision, non-finite ones as null, like <c>metrics.jsonl</c>. A run with no
/// event has an empty file: it was watched and nothing was found.</remarks>
public static class HealthLog
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The line for <paramref name="finding"/>, without the newline.</summary>
    public static string Line(HealthFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("step", finding.Step);
            json.WriteString("event", finding.Cleared ? "cleared" : "raised");
            json.WriteString("issue", HealthIssues.Name(finding.Issue));
            json.WriteString("severity", finding.Severity == HealthSeverity.Severe ? "severe" : "warning");
            foreach (var (name, value) in finding.Figures)
            {
                if (double.IsFinite(value))
                    json.WriteNumber(name, value);
                else
                    json.WriteNull(name);
            }
            json.WriteString("message", finding.Message);
            if (!finding.Cleared)
                json.WriteString("fix", finding.Fix);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Appends <paramref name="finding"/> to the file at <paramref name="path"/>, creating it if needed.</summary>
    public static void Append(string path, HealthFinding finding) =>
        File.AppendAllText(path, Line(finding) + "\n", new UTF8Encoding(false));

    /// <summary>The events of a <c>health.jsonl</c> file, in file order.</summary>
    /// <exception cref="InvalidDataException">A line is not an event; the message names the file and line.</exception>
    public static IReadOnlyList<HealthFinding> Read(string path)
    {
        var events = new List<HealthFinding>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                events.Add(Parse(line));
            }
            catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}, line {number}: {e.Message}; expected a health event as written by HealthLog.Line", e);
            }
        }
        return events;
    }

    /// <summary>The event a line of <c>health.jsonl</c> holds.</summary>
    public static HealthFinding Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        string? message = null, fix = null, issue = null, severity = null, kind = null;
        long step = 0;
        var figures = new List<KeyValuePair<string, double>>();
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "step": step = property.Value.GetInt64(); break;
                case "event": kind = property.Value.GetString(); break;
                case "issue": issue = property.Value.GetString(); break;
                case "severity": severity = property.Value.GetString(); break;
                case "message": message = property.Value.GetString(); break;
                case "fix": fix = property.Value.GetString(); break;
                default:
                    figures.Add(new(property.Name, property.Value.ValueKind == JsonValueKind.Null ? double.NaN : property.Value.GetDouble()));
                    break;
            }
        }
        if (issue is null || kind is null || message is null)
            throw new FormatException("missing \"issue\", \"event\" or \"message\"");
        bool cleared = kind switch
        {
            "raised" => false,
            "cleared" => true,
            _ => throw new FormatException($"event \"{kind}\"; expected raised or cleared"),
        };
        var level = severity switch
        {
            "severe" => HealthSeverity.Severe,
            "warning" or null => HealthSeverity.Warning,
            _ => throw new FormatException($"severity \"{severity}\"; expected warning or severe"),
        };
        return new HealthFinding(HealthIssues.Parse(issue), step, level, message, fix ?? "") { Cleared = cleared, Figures = figures };
    }
}
