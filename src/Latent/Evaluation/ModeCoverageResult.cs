namespace Latent.Evaluation;

/// <summary>How well samples cover the modes of a Gaussian mixture; report all of it together, never the mode count alone.</summary>
/// <param name="ModesCovered">Modes that are the nearest center of at least one high-quality sample, 0 to <paramref name="ModeCount"/>.</param>
/// <param name="ModeCount">The number of modes K.</param>
/// <param name="HighQualityShare">The share of samples within the distance threshold of their nearest center, in [0, 1].</param>
/// <param name="ModeKl">KL(p ‖ uniform) of the nearest-center histogram p of high-quality samples, in nats: 0 for a perfectly even spread, ln K when all sit on one mode; NaN when no sample is of high quality.</param>
/// <param name="HighQualityHistogram">High-quality samples per mode, K counts in the order of the centers.</param>
public sealed record ModeCoverageResult(int ModesCovered, int ModeCount, double HighQualityShare, double ModeKl, int[] HighQualityHistogram);
