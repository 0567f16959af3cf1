using System.Globalization;

namespace Latent.Diagnostics;

/// <summary>
/// A detector of one <see cref="HealthIssue"/> with hysteresis: it raises the issue once when its measurement crosses the
/// raise threshold, stays quiet while the issue lasts, and clears it once when the measurement is back past a looser
/// clear threshold, so a run's log holds one event where a problem starts and one where it ends, not one per step.
/// </summary>
public abstract class HealthDetector
{
    /// <summary>The issue this detector recognizes.</summary>
    public abstract HealthIssue Issue { get; }

    /// <summary>Whether the issue is raised and not yet cleared.</summary>
    public bool Active { get; private set; }

    /// <summary>The severity the active issue was raised with.</summary>
    public HealthSeverity ActiveSeverity { get; private set; }

    /// <summary>Sets the state without an event, as a resumed run's <c>health.jsonl</c> left it.</summary>
    /// <param name="raised">The event that raised the issue and was not cleared before the resumed step; null when the issue was not active.</param>
    public virtual void Restore(HealthFinding? raised)
    {
        Active = raised is not null;
        ActiveSeverity = raised?.Severity ?? HealthSeverity.Warning;
    }

    /// <summary>Raises the issue at <paramref name="step"/> (call only when not <see cref="Active"/>).</summary>
    protected HealthFinding Raise(long step, HealthSeverity severity, string message, string fix, params (string Name, double Value)[] figures)
    {
        Active = true;
        ActiveSeverity = severity;
        return new HealthFinding(Issue, step, severity, message, fix) { Figures = ToFigures(figures) };
    }

    /// <summary>Clears the issue at <paramref name="step"/> (call only when <see cref="Active"/>).</summary>
    protected HealthFinding Clear(long step, string message, params (string Name, double Value)[] figures)
    {
        Active = false;
        return new HealthFinding(Issue, step, ActiveSeverity, message, "") { Cleared = true, Figures = ToFigures(figures) };
    }

    /// <summary>A figure for a message: four significant digits, invariant culture.</summary>
    protected static string F(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static KeyValuePair<string, double>[] ToFigures((string Name, double Value)[] figures) =>
        [.. figures.Select(f => new KeyValuePair<string, double>(f.Name, f.Value))];
}
