using Latent.Evaluation;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class ReconstructionTests
{
    [Fact]
    public void MeanSquaredErrorAveragesOverEveryElement()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var target = tensor(new float[] { 0, 0, 1, 1 }, [2, 2]);
        var reconstruction = tensor(new float[] { 0, 1, 1, 3 }, [2, 2]);

        // Squared errors 0, 1, 0, 4 over 4 elements.
        Assert.Equal(1.25, Reconstruction.MeanSquaredError(target, reconstruction));
    }

    [Fact]
    public void DenoisingGainIsNoisyErrorOverDenoisedError()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var clean = zeros(3, 2);
        var noisy = ones(3, 2);          // mse 1
        var denoised = full(3, 2, 0.5f); // mse 0.25

        Assert.Equal(4.0, Reconstruction.DenoisingGain(clean, noisy, denoised));
        Assert.Equal(0.25, Reconstruction.DenoisingGain(clean, denoised, noisy));
        Assert.False(noisy.IsInvalid);
    }

    [Fact]
    public void DifferentShapesAreRefusedNamingBoth()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => Reconstruction.MeanSquaredError(zeros(4, 2), zeros(2, 4)));
        Assert.Contains("target [4, 2] and reconstruction [2, 4] must have the same shape", error.Message);
        var gainError = Assert.Throws<ArgumentException>(() => Reconstruction.DenoisingGain(zeros(3), zeros(3), zeros(4)));
        Assert.Contains("clean [3] and denoised [4]", gainError.Message);
    }
}
