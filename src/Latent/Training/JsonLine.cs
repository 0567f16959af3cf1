using System.Globalization;
using System.Text;

namespace Latent.Training;

/// <summary>
/// One line of a JSON-lines log (<c>metrics.jsonl</c>, <c>evals.jsonl</c>): <c>{"step":2000,"d_loss":1.38,…}</c>, values with
/// round-trip precision so that equal runs give byte-identical files, non-finite values as null.
/// </summary>
public static class JsonLine
{
    /// <summary>The line for <paramref name="step"/> and its figures, without the newline.</summary>
    public static string Of(long step, IEnumerable<KeyValuePair<string, double>> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var line = new StringBuilder(128);
        line.Append("{\"step\":").Append(step.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in figures)
        {
            line.Append(",\"").Append(name).Append("\":");
            line.Append(double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "null");
        }
        return line.Append('}').ToString();
    }

    /// <summary>
    /// Cuts a JSON-lines log back to its lines of steps up to <paramref name="step"/>, for a run resumed from the checkpoint
    /// of that step: later lines, and a torn last line left by a crash, are dropped. The file is rewritten atomically.
    /// </summary>
    /// <remarks>Lines are in step order, so the first line past <paramref name="step"/> or unreadable ends what is kept.</remarks>
    public static void KeepThrough(string path, long step)
    {
        if (!File.Exists(path))
            return;
        var kept = new StringBuilder();
        foreach (string line in File.ReadLines(path))
        {
            if (StepOf(line) is not { } lineStep || lineStep > step)
                break;
            kept.Append(line).Append('\n');
        }
        Imaging.AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(kept.ToString())));
    }

    private static long? StepOf(string line)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                   && document.RootElement.TryGetProperty("step", out var step) && step.TryGetInt64(out long value) ? value : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
