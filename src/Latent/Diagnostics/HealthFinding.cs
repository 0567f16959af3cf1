namespace Latent.Diagnostics;

/// <summary>
/// One event of a run's health: an issue raised at a step, with what was measured and the tutorials' remedy, or the
/// same issue cleared (<see cref="Cleared"/>) when the measurement is back in the healthy range.
/// </summary>
/// <param name="Issue">What went wrong.</param>
/// <param name="Step">The step at which the issue was raised or cleared.</param>
/// <param name="Severity">How bad it is (for a clearing event, the severity it was raised with).</param>
/// <param name="Message">Plain words with the numbers: what was measured, over which window, against which healthy range.</param>
/// <param name="Fix">The remedy the tutorials recommend, in plain words with the recipe keys that apply; empty for a clearing event.</param>
public sealed record HealthFinding(HealthIssue Issue, long Step, HealthSeverity Severity, string Message, string Fix)
{
    /// <summary>True when this event says the issue is over.</summary>
    public bool Cleared { get; init; }

    /// <summary>The measured figures behind the message, by name (<c>d_real</c>, <c>modes_covered</c>, …).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Figures { get; init; } = [];
}
