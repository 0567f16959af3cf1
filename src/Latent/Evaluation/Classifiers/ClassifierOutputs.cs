using static TorchSharp.torch;

namespace Latent.Evaluation.Classifiers;

/// <summary>What a <see cref="TrainedClassifier"/> sees in a set of images: their features and their class probabilities.</summary>
/// <remarks>Both tensors belong to the caller (and to the dispose scope that was open when they were made, if any); <see cref="Dispose"/> frees them.</remarks>
/// <param name="Features">float64 (N, <see cref="ImageClassifier.FeatureDim"/>) on the CPU: the penultimate layer, the space FID and its kin are computed in.</param>
/// <param name="Probabilities">float64 (N, Classes) on the CPU: the softmax of the logits, each row summing to 1 (for the Inception Score and class counts).</param>
public sealed record ClassifierOutputs(Tensor Features, Tensor Probabilities) : IDisposable
{
    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        Features.Dispose();
        Probabilities.Dispose();
    }
}
