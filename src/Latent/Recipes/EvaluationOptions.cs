using Latent.Evaluation.Classifiers;

namespace Latent.Recipes;

/// <summary>How <see cref="RunEvaluator"/> scores a run beyond what its recipe's <see cref="EvaluationSpec"/> says.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Generated images to score; the recipe's <see cref="EvaluationSpec.Samples"/> when null.</summary>
    public int? Samples { get; init; }

    /// <summary>Where classifiers are cached (and trained the first time); beside the default data store when null.</summary>
    public ClassifierStore? Classifiers { get; init; }

    /// <summary>Where to say that a classifier is being trained, and its progress; nowhere when null.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>A folder to write the classifier features of real and generated images into, as <c>.npy</c> files.</summary>
    public string? ExportFeatures { get; init; }

    /// <summary>Score generated images with a classifier (FID and the rest); true by default.</summary>
    public bool ImageQuality { get; init; } = true;
}
