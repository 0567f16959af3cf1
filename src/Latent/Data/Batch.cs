using static TorchSharp.torch;

namespace Latent.Data;

/// <summary>One training batch: the examples and, for labelled data, their classes.</summary>
/// <param name="Examples">(N, features…) float32 on the training device: rows for toy data, (N, C, H, W) or flattened rows for images.</param>
/// <param name="Labels">(N) int64 class indices on the same device, or null for unlabelled data.</param>
public readonly record struct Batch(Tensor Examples, Tensor? Labels = null)
{
    /// <summary>The number of examples, N.</summary>
    public long Size => Examples.shape[0];

    /// <summary>The labels, or an error that names who needed them when the data has none.</summary>
    /// <param name="neededBy">What needs labels, for the message (e.g. "a conditional GAN").</param>
    public Tensor RequireLabels(string neededBy) =>
        Labels ?? throw new InvalidOperationException($"{neededBy} needs labelled batches, but the data has no labels; expected a labelled data set such as mnist or fashion-mnist");
}
