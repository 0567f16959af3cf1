using Latent.Evaluation;

namespace Latent.Diagnostics;

/// <summary>One measurement of how varied a model's samples are (<see cref="DiversityProbe"/>).</summary>
/// <param name="Samples">Samples measured.</param>
/// <param name="SampleSpread">Mean Euclidean distance between two distinct samples.</param>
/// <param name="RealSpread">The same for as many real examples: what a model of the data should reach.</param>
/// <param name="Modes">Mode coverage of the samples when the data is a Gaussian mixture; else null.</param>
/// <param name="ClassHistogram">Samples per predicted class when a classifier for the data is at hand; else null.</param>
public sealed record DiversityReading(int Samples, double SampleSpread, double RealSpread, ModeCoverageResult? Modes, long[]? ClassHistogram)
{
    /// <summary><see cref="SampleSpread"/> / <see cref="RealSpread"/>: about 1 for samples as varied as the data, near 0 when they are all alike.</summary>
    public double SpreadRatio => SampleSpread / RealSpread;

    /// <summary>KL of the class histogram to uniform, in nats (0: every class equally often; ln C: one class); NaN without a classifier.</summary>
    public double ClassKl => ClassHistogram is { } histogram ? ClassDistribution.KlToUniform(histogram) : double.NaN;

    /// <summary>Classes predicted for at least one sample; 0 without a classifier.</summary>
    public int ClassesCovered => ClassHistogram?.Count(count => count > 0) ?? 0;
}
