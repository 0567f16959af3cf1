using Latent.Recipes;

namespace Latent.Tests.Recipes;

public class RecipeValidatorTests
{
    [Theory]
    [InlineData("steps=-5", "steps: -5 is out of range")]
    [InlineData("steps=0", "steps: 0 is out of range")]
    [InlineData("batch_size=0", "batch_size: 0 is out of range")]
    [InlineData("gan.generator_optimizer.lr=0", "gan.generator_optimizer.lr: 0 is out of range")]
    [InlineData("gan.discriminator_optimizer.lr=-0.001", "gan.discriminator_optimizer.lr: -0.001 is out of range")]
    [InlineData("gan.critic_steps=0", "gan.critic_steps: 0 is out of range")]
    [InlineData("gan.generator.hidden=[16,0]", "gan.generator.hidden[1]: 0 is out of range")]
    [InlineData("gan.ema=1", "gan.ema: 1 is out of range")]
    [InlineData("gan.generator.minibatch_std_dev=true", "gan.generator: minibatch_std_dev and minibatch_kernels belong to the discriminator")]
    [InlineData("data.kind=rign", "data.kind: unknown \"rign\" (did you mean \"ring\"?)")]
    [InlineData("family=gans", "family: unknown \"gans\" (did you mean \"gan\"?)")]
    [InlineData("gan.discriminator.activation=relu6", "gan.discriminator.activation: unknown \"relu6\" (did you mean \"relu\"?)")]
    [InlineData("lr_decay.gamma=1.5", "lr_decay.gamma: 1.5 is out of range")]
    public void AnImpossibleValueIsNamedByItsPath(string assignment, string message)
    {
        var recipe = RecipeJson.Parse("{}", "test", [assignment]);

        var error = Assert.Throws<RecipeException>(() => RecipeValidator.Validate(recipe));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void AMisspeltLossSuggestsTheNearestAndListsEveryLoss()
    {
        var recipe = new Recipe { Gan = new() { Loss = "hinje" } };

        var error = Assert.Throws<RecipeException>(() => RecipeValidator.Validate(recipe));

        Assert.Equal("gan.loss: unknown \"hinje\" (did you mean \"hinge\"?); expected one of minimax, non-saturating, wasserstein, hinge, least-squares", error.Message);
    }

    [Fact]
    public void LabelSmoothingWithAWassersteinLossIsRefused()
    {
        var recipe = new Recipe { Gan = new() { Loss = "wasserstein", RealLabel = 0.9 } };

        var error = Assert.Throws<RecipeException>(() => RecipeValidator.Validate(recipe));

        Assert.Contains("gan.real_label", error.Message);
        Assert.Contains("wasserstein", error.Message);
    }

    [Fact]
    public void AutoencoderAndVaeSectionsAreCheckedOnlyForTheirFamily()
    {
        var badVae = new Recipe { Vae = new() { LatentDim = 0 } };
        RecipeValidator.Validate(badVae); // family gan: the VAE section is not used

        var error = Assert.Throws<RecipeException>(() => RecipeValidator.Validate(badVae with { Family = "vae", Data = new() { Kind = "clusters" } }));
        Assert.Contains("vae.latent_dim: 0 is out of range", error.Message);

        var badCorruption = new Recipe { Family = "autoencoder", Autoencoder = new() { Corruption = new() { Kind = "masking", Probability = 1 } } };
        error = Assert.Throws<RecipeException>(() => RecipeValidator.Validate(badCorruption));
        Assert.Contains("autoencoder.corruption.probability", error.Message);
    }

    [Fact]
    public void ABatchLargerThanAFixedDatasetIsRefusedWhenBuilt()
    {
        var recipe = Presets.Get("ae2d") with { BatchSize = 201 }; // the circle has 200 points

        var error = Assert.Throws<RecipeException>(() => RecipeBuilder.Build(recipe));

        Assert.Contains("batch_size: 201 is more than the 200 points", error.Message);
    }

    // Values the validator lets through but the builder or the first step cannot use: each must be a RecipeException
    // naming the field, as every other impossible value is, not an ArgumentException or a libtorch error at run time.

    [Fact]
    public void ADiscriminatorWithoutHiddenLayersIsRefusedNamingThePath()
    {
        var recipe = RecipeJson.Parse("{}", "test", ["gan.discriminator.hidden=[]"]);

        var error = Assert.Throws<RecipeException>(() => RecipeBuilder.Build(recipe).Dispose());

        Assert.Contains("gan.discriminator.hidden", error.Message);
    }

    [Fact]
    public void AnUnknownDeviceIsRefusedNamingThePath()
    {
        var recipe = new Recipe { Device = "gpu" };

        var error = Assert.Throws<RecipeException>(() => RecipeBuilder.Build(recipe).Dispose());

        Assert.Contains("device", error.Message);
        Assert.Contains("gpu", error.Message);
    }

    [Fact]
    public void BinaryCrossEntropyOnADecoderWithoutSigmoidIsRefusedNamingThePath()
    {
        // bce needs probabilities; a linear decoder gives values outside [0, 1] and libtorch stops at the first step.
        var recipe = Presets.Get("ae3x3") with { Autoencoder = Presets.Get("ae3x3").Autoencoder with { Decoder = new() { Hidden = [16], OutputActivation = "none" } } };

        var error = Assert.Throws<RecipeException>(() => RecipeValidator.Validate(recipe));

        Assert.Contains("autoencoder", error.Message);
        Assert.Contains("sigmoid", error.Message);
    }

    [Fact]
    public void TheDefaultRecipeIsValid()
    {
        RecipeValidator.Validate(new Recipe());
    }
}
