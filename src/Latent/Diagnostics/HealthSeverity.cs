namespace Latent.Diagnostics;

/// <summary>How bad a finding is.</summary>
public enum HealthSeverity
{
    /// <summary>Training is off balance; it may recover by itself, but usually does not.</summary>
    Warning,

    /// <summary>Training has stopped making progress in this state (no gradient, all samples alike, blowing up).</summary>
    Severe,
}
