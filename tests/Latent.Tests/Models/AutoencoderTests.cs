using Latent.Models;
using Latent.Models.Corruption;
using Latent.Recipes;
using Latent.Runtime;
using Latent.Tests.Training;
using Latent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

public class AutoencoderTests
{
    [Fact]
    public void Ae2dReconstructsTheCircleBelowMseOfPointThree()
    {
        // Measured on ae2d (seeds 0-2, 500 steps): 0.07-0.14; PCA's 1-d error here is 0.25, a collapse to a constant 0.5.
        double mse = TrainAndEvaluate(Presets.Get("ae2d"), "reconstruction_mse");

        Assert.InRange(mse, 0, 0.3);
    }

    [Fact]
    public void Dae2dRemovesNoiseFromTheSine()
    {
        // Measured on dae2d at 300 of its 1,000 steps (seeds 0-2): gain 1.64-1.86; the Bayes-optimal denoiser reaches 1.83.
        double gain = TrainAndEvaluate(Presets.Get("dae2d") with { Steps = 300 }, "denoising_gain");

        Assert.True(gain > 1.2, $"denoising gain {gain:F3}: noisy MSE / denoised MSE should exceed 1.2");
    }

    [Fact]
    public void Ae3x3ReconstructsAllTenPatterns()
    {
        // Measured on ae3x3 at 500 of its 2,000 steps (seeds 0-2): every pattern exact, reconstruction MSE below 1e-5.
        double rate = TrainAndEvaluate(Presets.Get("ae3x3") with { Steps = 500 }, "exact_match_rate");

        Assert.Equal(1.0, rate);
    }

    [Fact]
    public void DenoisingLossScoresTheReconstructionOfTheCorruptedInputAgainstTheCleanOne()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(4);
        // Identity encoder and decoder: the reconstruction is the corrupted input itself. Scored against the clean
        // ones, each masked value costs (0 − 1)² = 1, so the MSE is the masked share; scored against the corrupted
        // input it would be 0.
        var encoder = Identity(4);
        var decoder = Identity(4);
        using var autoencoder = new Autoencoder(encoder, decoder, optim.SGD(encoder.parameters().Concat(decoder.parameters()), 1e-30),
                                                ReconstructionLoss.MeanSquaredError, random.Noise, new MaskingCorruption(0.5));
        var batches = new CountingBatches(make: () => ones(1000, 4));

        double loss;
        using (NewDisposeScope())
            loss = autoencoder.TrainStep(batches)["loss"];

        Assert.InRange(loss, 0.47, 0.53); // 4,000 values, standard error 0.008
        Assert.Equal(1, batches.Draws);
    }

    [Fact]
    public void WithoutCorruptionAnIdentityAutoencoderHasZeroLoss()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(5);
        var encoder = Identity(3);
        var decoder = Identity(3);
        using var autoencoder = new Autoencoder(encoder, decoder, optim.SGD(encoder.parameters(), 0.1), ReconstructionLoss.SumSquaredError, random.Noise);

        using var scope = NewDisposeScope();
        Assert.Equal(0, autoencoder.TrainStep(new CountingBatches(make: () => randn(8, 3)))["loss"]);
    }

    [Fact]
    public void EncodeDecodeAndReconstructRunWithoutGradientsAndRestoreTheTrainingMode()
    {
        LatentRuntime.EnsureLoaded();
        using var built = RecipeBuilder.Build(Presets.Get("ae2d"));
        var autoencoder = (Autoencoder)built.Model;
        autoencoder.SetTraining(true);
        using var scope = NewDisposeScope();
        var x = randn(5, 2);

        var code = autoencoder.Encode(x);
        var decoded = autoencoder.Decode(code);
        var reconstruction = autoencoder.Reconstruct(x);

        Assert.Equal([5L, 1L], code.shape);
        Assert.False(code.requires_grad || decoded.requires_grad || reconstruction.requires_grad);
        Assert.True(decoded.Equals(reconstruction));
        Assert.All(autoencoder.Networks.Values, network => Assert.True(network.training));
    }

    private static double TrainAndEvaluate(Recipe recipe, string figure)
    {
        using var built = RecipeBuilder.Build(recipe);
        new Trainer().Fit(built.Model, built.Batches, recipe.Steps);
        return RunEvaluator.Evaluate(built).Single(f => f.Key == figure).Value;
    }

    private static TorchSharp.Modules.Linear Identity(int features)
    {
        var linear = nn.Linear(features, features);
        using (no_grad())
        {
            linear.weight.copy_(eye(features));
            linear.bias!.zero_();
        }
        return linear;
    }
}
