using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>Reconstruction quality of autoencoders: mean squared error, and the gain of a denoiser.</summary>
public static class Reconstruction
{
    /// <summary>The mean squared error over all elements: Σ (target − reconstruction)² / numel.</summary>
    /// <param name="target">The data, any shape with at least one element; not modified or disposed.</param>
    /// <param name="reconstruction">The model's output, same shape as the target.</param>
    public static double MeanSquaredError(Tensor target, Tensor reconstruction)
    {
        RequireSameShape(target, nameof(target), reconstruction, nameof(reconstruction));
        using var scope = NewDisposeScope();
        return MeanSquaredGap(target, reconstruction);
    }

    /// <summary>The noise-reduction ratio mse(noisy, clean) / mse(denoised, clean): above 1 when the denoiser removes noise, below 1 when it adds error.</summary>
    /// <param name="clean">The clean data; not modified or disposed.</param>
    /// <param name="noisy">The corrupted input, same shape.</param>
    /// <param name="denoised">The denoiser's output for the noisy input, same shape.</param>
    /// <remarks>The quality figure of the `dae2d` workload; a perfect denoiser gives +∞.</remarks>
    public static double DenoisingGain(Tensor clean, Tensor noisy, Tensor denoised)
    {
        RequireSameShape(clean, nameof(clean), noisy, nameof(noisy));
        RequireSameShape(clean, nameof(clean), denoised, nameof(denoised));
        using var scope = NewDisposeScope();
        return MeanSquaredGap(noisy, clean) / MeanSquaredGap(denoised, clean);
    }

    private static double MeanSquaredGap(Tensor a, Tensor b)
    {
        var first = a.detach().to(ScalarType.Float64);
        var second = b.detach().to(ScalarType.Float64, first.device);
        return (first - second).square().mean().item<double>();
    }

    private static void RequireSameShape(Tensor a, string nameA, Tensor b, string nameB)
    {
        ArgumentNullException.ThrowIfNull(a, nameA);
        ArgumentNullException.ThrowIfNull(b, nameB);
        if (!a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"{nameA} [{string.Join(", ", a.shape)}] and {nameB} [{string.Join(", ", b.shape)}] must have the same shape", nameB);
        if (a.numel() == 0)
            throw new ArgumentException($"{nameA} [{string.Join(", ", a.shape)}] must hold at least one element", nameA);
    }
}
