using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>How a reconstruction is compared with its target.</summary>
public enum ReconstructionLoss
{
    /// <summary>Squared error averaged over every element: mean((x̂ − x)²).</summary>
    MeanSquaredError,

    /// <summary>Squared error summed over an example's features, averaged over the batch: the Gaussian log-likelihood up to constants.</summary>
    SumSquaredError,

    /// <summary>Binary cross-entropy of probabilities (a sigmoid decoder) averaged over every element.</summary>
    BinaryCrossEntropy,

    /// <summary>Binary cross-entropy summed over an example's features, averaged over the batch: the Bernoulli negative log-likelihood in nats.</summary>
    SumBinaryCrossEntropy,
}

/// <summary>Computes a <see cref="ReconstructionLoss"/>.</summary>
public static class ReconstructionLossExtensions
{
    /// <summary>The loss of <paramref name="reconstruction"/> against <paramref name="target"/>, a scalar.</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor Compute(this ReconstructionLoss loss, Tensor reconstruction, Tensor target)
    {
        if (!reconstruction.shape.SequenceEqual(target.shape))
            throw new ArgumentException($"reconstruction [{string.Join(", ", reconstruction.shape)}] and target [{string.Join(", ", target.shape)}] must have the same shape");
        long batch = target.shape[0];
        return loss switch
        {
            ReconstructionLoss.MeanSquaredError => nn.functional.mse_loss(reconstruction, target),
            ReconstructionLoss.SumSquaredError => nn.functional.mse_loss(reconstruction, target, nn.Reduction.Sum) / batch,
            ReconstructionLoss.BinaryCrossEntropy => nn.functional.binary_cross_entropy(reconstruction, target),
            ReconstructionLoss.SumBinaryCrossEntropy => nn.functional.binary_cross_entropy(reconstruction, target, reduction: nn.Reduction.Sum) / batch,
            _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "unknown reconstruction loss"),
        };
    }
}
