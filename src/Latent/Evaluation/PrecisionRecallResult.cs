namespace Latent.Evaluation;

/// <summary>Improved precision and recall of <see cref="PrecisionRecall.Measure"/>: fidelity and diversity of fakes, each in [0, 1].</summary>
/// <param name="Precision">The share of fakes inside the real manifold: how many fakes look real.</param>
/// <param name="Recall">The share of reals inside the fake manifold: how much of the real data the fakes reach.</param>
/// <param name="K">The neighbour rank that set every ball's radius.</param>
public sealed record PrecisionRecallResult(double Precision, double Recall, int K);
