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

    /// <summary>
    /// Samples per diversity reading; when null, 500, or 200 images (a classifier takes about a second for 500 MNIST images
    /// on one core, and the pairwise spread of 200 is already a mean over 19,900 pairs).
    /// </summary>
    public int? DiversitySamples { get; init; }

    /// <summary>Interpolates per critic-slope reading; default 256.</summary>
    public int SlopeSamples { get; init; } = 256;

    /// <summary>
    /// Steps in which the generator is still leaving its initialization, whose diversity is no yardstick for a later fall;
    /// when null, a tenth of the run. (MNIST's MLP generator starts as noise with 0.82 of the data's spread, shrinks to a
    /// blurry mean at 0.43 by step 400 and spreads out again: a fall from the initial noise is no collapse.)
    /// </summary>
    public long? WarmUp { get; init; }

    /// <summary>The warm-up for a run of <paramref name="steps"/> steps: <see cref="WarmUp"/>, else a tenth of the run.</summary>
    public long WarmUpSteps(long steps) => WarmUp ?? steps / 10;

    /// <summary>The diversity sample count: <see cref="DiversitySamples"/>, else 200 for images and 500 otherwise.</summary>
    public int DiversitySampleCount(bool images) => DiversitySamples ?? (images ? 200 : 500);

    /// <summary>The probe period for a run of <paramref name="steps"/> steps: <see cref="ProbeEvery"/>, else a 30th of the run between 10 and 200.</summary>
    public long ProbePeriod(long steps) => ProbeEvery ?? Math.Clamp(steps / 30, 10, 200);
}
