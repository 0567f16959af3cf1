using System.Text;

namespace Latent.Diagnostics;

/// <summary>A run's health in plain words, from its events: each issue with the steps it lasted, what was measured and the fix.</summary>
/// <example>
/// <code>
/// health: 1 problem during training
///   discriminator winning (severe), steps 100-950: the discriminator is winning too hard: over the last 50 steps D(x) = 0.9994 …
///     fix: balance the two networks: use the non-saturating generator loss …
/// </code>
/// </example>
public static class HealthSummary
{
    /// <summary>The summary of <paramref name="events"/> (raised and cleared, in step order).</summary>
    /// <param name="events">The run's events.</param>
    /// <param name="checks">What was watched, said when nothing was found; omitted when null.</param>
    public static string Describe(IReadOnlyList<HealthFinding> events, string? checks = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        var episodes = Episodes(events);
        if (episodes.Count == 0)
            return "health: no problems found" + (checks is null ? "" : $" ({checks})");

        var text = new StringBuilder();
        var issues = episodes.GroupBy(e => e.Raised.Issue).ToList();
        text.Append($"health: {issues.Count} problem{(issues.Count == 1 ? "" : "s")} during training");
        foreach (var issue in issues)
        {
            // The first raise speaks for the issue: what was measured when it started, and the fix.
            var first = issue.First().Raised;
            bool severe = issue.Any(e => e.Raised.Severity == HealthSeverity.Severe);
            string spans = string.Join(", ", issue.Select(e => e.ClearedAt is { } end ? $"{e.Raised.Step}-{end}" : $"{e.Raised.Step} to the end"));
            text.AppendLine();
            text.Append($"  {HealthIssues.Title(first.Issue)}{(severe ? " (severe)" : "")}, step{(issue.Count() == 1 && issue.First().ClearedAt is null ? "" : "s")} {spans}: {first.Message}");
            text.AppendLine();
            text.Append($"    fix: {first.Fix}");
        }
        return text.ToString();
    }

    /// <summary>The summary of the run in <paramref name="runFolder"/>, from its <c>health.jsonl</c>.</summary>
    /// <returns>The summary; null when the run has none (a family with nothing to watch, or a run of an older version).</returns>
    /// <exception cref="InvalidDataException">The file holds a line that is not an event.</exception>
    public static string? OfRun(string runFolder)
    {
        string path = Path.Combine(runFolder, Recipes.RunFolder.HealthFile);
        return File.Exists(path) ? Describe(HealthLog.Read(path)) : null;
    }

    /// <summary>The issues raised and not cleared by the end of <paramref name="events"/>.</summary>
    public static IReadOnlyList<HealthFinding> Active(IReadOnlyList<HealthFinding> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return [.. Episodes(events).Where(e => e.ClearedAt is null).Select(e => e.Raised)];
    }

    /// <summary>Each raise paired with the step of the clearing that follows it, if any.</summary>
    private static List<(HealthFinding Raised, long? ClearedAt)> Episodes(IReadOnlyList<HealthFinding> events)
    {
        var episodes = new List<(HealthFinding Raised, long? ClearedAt)>();
        var open = new Dictionary<HealthIssue, int>();
        foreach (var finding in events)
        {
            if (!finding.Cleared)
            {
                if (open.ContainsKey(finding.Issue))
                    continue; // raised twice without a clearing between: the first one stands
                open[finding.Issue] = episodes.Count;
                episodes.Add((finding, null));
            }
            else if (open.Remove(finding.Issue, out int index))
            {
                episodes[index] = (episodes[index].Raised, finding.Step);
            }
        }
        return episodes;
    }
}
