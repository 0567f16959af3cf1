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
}
