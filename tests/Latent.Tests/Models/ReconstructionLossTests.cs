using Latent.Models;
using Latent.Runtime;
using Latent.Tests.Evaluation;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

public class ReconstructionLossTests
{
    // Squared errors of the rows below: (0, 4, 9) and (1, 1, 1), 16 over 6 elements and 2 examples.
    private static readonly float[,] Reconstruction = { { 1, 2, 3 }, { 0, 0, 0 } };
    private static readonly float[,] Target = { { 1, 0, 0 }, { 1, 1, 1 } };

    // Probabilities against binary targets: −ln 0.9, −ln 0.8, −ln 0.5, −ln 0.6 over 4 elements and 2 examples.
    private static readonly float[,] Probabilities = { { 0.9f, 0.2f }, { 0.5f, 0.6f } };
    private static readonly float[,] Labels = { { 1, 0 }, { 1, 1 } };
    private static readonly double CrossEntropySum = -(Math.Log(0.9) + Math.Log(0.8) + Math.Log(0.5) + Math.Log(0.6));

    [Fact]
    public void MeanSquaredErrorAveragesOverEveryElement()
    {
        Assert.Equal(16.0 / 6, Compute(ReconstructionLoss.MeanSquaredError, Reconstruction, Target), 1e-6);
    }

    [Fact]
    public void SumSquaredErrorSumsOverFeaturesAndAveragesOverTheBatch()
    {
        Assert.Equal(16.0 / 2, Compute(ReconstructionLoss.SumSquaredError, Reconstruction, Target), 1e-6);
    }

    [Fact]
    public void BinaryCrossEntropyAveragesOverEveryElement()
    {
        RelativeAssert.Close(CrossEntropySum / 4, Compute(ReconstructionLoss.BinaryCrossEntropy, Probabilities, Labels), 1e-6);
    }

    [Fact]
    public void SumBinaryCrossEntropySumsOverFeaturesAndAveragesOverTheBatch()
    {
        RelativeAssert.Close(CrossEntropySum / 2, Compute(ReconstructionLoss.SumBinaryCrossEntropy, Probabilities, Labels), 1e-6);
    }

    [Fact]
    public void SummedLossesAreTheMeanLossesTimesTheFeatureCount()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(11);
        var p = rand([5, 7], generator: rng) * 0.98 + 0.01;
        var y = (rand([5, 7], generator: rng) > 0.5).to(float32);

        RelativeAssert.Close(7 * ReconstructionLoss.MeanSquaredError.Compute(p, y).item<float>(), ReconstructionLoss.SumSquaredError.Compute(p, y).item<float>(), 1e-5);
        RelativeAssert.Close(7 * ReconstructionLoss.BinaryCrossEntropy.Compute(p, y).item<float>(), ReconstructionLoss.SumBinaryCrossEntropy.Compute(p, y).item<float>(), 1e-5);
    }

    [Fact]
    public void DifferentShapesAreRefusedNamingBoth()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => ReconstructionLoss.MeanSquaredError.Compute(zeros(4, 2), zeros(4, 3)));
        Assert.Contains("[4, 2]", error.Message);
        Assert.Contains("[4, 3]", error.Message);
    }

    private static double Compute(ReconstructionLoss loss, float[,] reconstruction, float[,] target)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        return loss.Compute(tensor(reconstruction), tensor(target)).item<float>();
    }

    [Theory]
    [InlineData(ReconstructionLoss.MeanSquaredError)]
    [InlineData(ReconstructionLoss.SumSquaredError)]
    [InlineData(ReconstructionLoss.BinaryCrossEntropy)]
    [InlineData(ReconstructionLoss.SumBinaryCrossEntropy)]
    public void TheWrittenOutGradientIsAutogradsDerivative(ReconstructionLoss loss)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(9);
        var reconstruction = rand(20, 3, dtype: float64) * 0.98 + 0.01;
        var target = rand(20, 3, dtype: float64);

        var leaf = reconstruction.clone().requires_grad_(true);
        var expected = autograd.grad([loss.Compute(leaf, target)], [leaf])[0];
        var written = loss.Gradient(reconstruction, target);

        double error = (expected - written).abs().max().item<double>(), scale = expected.abs().max().item<double>();
        Assert.True(error <= 1e-14 * Math.Max(1, scale), $"{loss}: max error {error:E2} (scale {scale:E2})");
    }
}
