namespace Latent.Diagnostics;

/// <summary>How <see cref="HealthMonitor.For"/> watches a run; every field has a default that suits the toy and image presets.</summary>
public sealed record HealthOptions
{
    /// <summary>Steps whose medians the discriminator and generator-loss checks judge; default 50.</summary>
    public int StepWindow { get; init; } = 50;

    /// <summary>Steps the oscillation check judges at once (at least 80); default 400, room for several cycles of 50–150 steps.</summary>
    public int OscillationWindow { get; init; } = 400;

    /// <summary>Steps between probe readings (sample diversity, critic slope); when null, a 30th of the run, between 10 and 200.</summary>
    public long? ProbeEvery { get; init; }

    /// <summary>Samples per diversity reading; default 500.</summary>
    public int DiversitySamples { get; init; } = 500;

    /// <summary>Interpolates per critic-slope reading; default 256.</summary>
    public int SlopeSamples { get; init; } = 256;

    /// <summary>The probe period for a run of <paramref name="steps"/> steps: <see cref="ProbeEvery"/>, else a 30th of the run between 10 and 200.</summary>
    public long ProbePeriod(long steps) => ProbeEvery ?? Math.Clamp(steps / 30, 10, 200);
}
