namespace Latent.Evaluation;

/// <summary>Density and coverage of <see cref="DensityCoverage.Measure"/>: fidelity and diversity of fakes measured against real neighbourhoods only.</summary>
/// <param name="Density">How many real balls contain a fake, on average, divided by k: about 1 when fakes follow the real distribution, above 1 when they crowd where reals are dense; not bounded by 1.</param>
/// <param name="Coverage">The share of real balls that contain at least one fake, in [0, 1].</param>
/// <param name="K">The neighbour rank that set every ball's radius.</param>
public sealed record DensityCoverageResult(double Density, double Coverage, int K);
