using Latent.Evaluation.Classifiers;
using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>
/// Generated images against real ones, measured with Latent's own classifier for the data set (no Inception network can
/// be had here): FID and KID in its penultimate feature space, precision and recall (k = 3), density and coverage
/// (k = 5) there too, and from its predictions the class histogram of the samples, its KL to uniform, the accuracy on
/// the asked-for classes of a conditional model, and an Inception-Score-style score.
/// </summary>
/// <remarks>Figures in different feature spaces are not comparable: these compare Latent runs with each other and with the
/// real-versus-real floor, not with published Inception FIDs. Their names say so (<c>classifier_fid</c>, …).</remarks>
/// <param name="Fid">Fréchet distance between the feature distributions.</param>
/// <param name="Kid">Unbiased polynomial-kernel MMD² over subsets, with its spread.</param>
/// <param name="PrecisionRecall">Share of samples on the real manifold, and of real images on the samples' manifold; null when not measured.</param>
/// <param name="DensityCoverage">How densely samples crowd real neighbourhoods, and the share of real neighbourhoods reached; null when not measured.</param>
/// <param name="ClassHistogram">Samples per predicted class.</param>
/// <param name="ClassKl">KL of the predicted class frequencies to uniform, in nats; 0 when every class is equally common.</param>
/// <param name="ClassAccuracy">For a conditional model, the share of samples classified as the class asked for; else null.</param>
/// <param name="ClassifierScore">exp E[KL(p(y|x) ‖ p(y))], the Inception Score's formula with Latent's classifier, between 1 and the class count.</param>
/// <param name="Samples">Generated images scored.</param>
/// <param name="RealImages">Real images they were compared with.</param>
public sealed record ImageQuality(
    double Fid, KernelDistanceResult Kid, PrecisionRecallResult? PrecisionRecall, DensityCoverageResult? DensityCoverage,
    long[] ClassHistogram, double ClassKl, double? ClassAccuracy, double ClassifierScore, long Samples, long RealImages)
{
    /// <summary>Scores <paramref name="generated"/> against <paramref name="real"/>, both as the classifier saw them.</summary>
    /// <param name="real">The classifier's features and probabilities of real images.</param>
    /// <param name="generated">The same of generated images.</param>
    /// <param name="askedLabels">For a conditional model, the class asked for each generated image (N); else null.</param>
    /// <param name="rng">Draws KID's subsets.</param>
    /// <param name="manifold">Measure precision, recall, density and coverage, whose nearest-neighbour searches take most
    /// of the time (tens of seconds at 10,000 × 10,000 on two cores); evaluations during training leave them out.</param>
    public static ImageQuality Measure(ClassifierOutputs real, ClassifierOutputs generated, Tensor? askedLabels, Generator rng, bool manifold = true)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(generated);
        using var scope = NewDisposeScope();
        long[] histogram = ClassDistribution.Histogram(generated.Probabilities);
        var (precisionRecall, densityCoverage) = manifold ? ManifoldMetrics.Measure(real.Features, generated.Features) : (null, null);
        return new ImageQuality(
            FrechetDistance.Between(real.Features, generated.Features),
            KernelDistance.Measure(real.Features, generated.Features, rng),
            precisionRecall,
            densityCoverage,
            histogram,
            ClassDistribution.KlToUniform(histogram),
            askedLabels is null ? null : ClassDistribution.Accuracy(generated.Probabilities, askedLabels),
            ClassDistribution.ClassifierScore(generated.Probabilities),
            generated.Features.shape[0],
            real.Features.shape[0]);
    }

    /// <summary>The figures by name, as <c>eval.json</c> holds them.</summary>
    public IEnumerable<KeyValuePair<string, double>> Figures()
    {
        yield return new("classifier_fid", Fid);
        yield return new("classifier_kid", Kid.Mean);
        yield return new("classifier_kid_std", Kid.StandardDeviation);
        if (PrecisionRecall is { } precisionRecall)
        {
            yield return new("classifier_precision", precisionRecall.Precision);
            yield return new("classifier_recall", precisionRecall.Recall);
        }
        if (DensityCoverage is { } densityCoverage)
        {
            yield return new("classifier_density", densityCoverage.Density);
            yield return new("classifier_coverage", densityCoverage.Coverage);
        }
        yield return new("class_kl", ClassKl);
        // The rarest class's share of the samples: 1/C when the classes are balanced, 0 when one is never drawn.
        yield return new("smallest_class_share", ClassHistogram.Min() / (double)Samples);
        if (ClassAccuracy is { } accuracy)
            yield return new("class_accuracy", accuracy);
        yield return new("classifier_score", ClassifierScore);
        yield return new("samples", Samples);
        yield return new("real_images", RealImages);
    }
}
