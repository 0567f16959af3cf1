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
    [InlineData("evaluation.importance_samples=[1,0]", "evaluation.importance_samples[1]: 0 is out of range; expected a whole number ≥ 1")]
    [InlineData("data.range=[1,-1]", "data.range: [1, -1]; expected [low, high] with low < high")]
    [InlineData("logging.scalars_every=-1", "logging.scalars_every: -1 is out of range; expected a whole number ≥ 0")]
    [InlineData("logging.histograms_every=-10", "logging.histograms_every: -10 is out of range; expected a whole number ≥ 0")]
    [InlineData("device=cpux", "device: unknown \"cpux\" (did you mean \"cpu\"?); expected one of cpu, cuda, cuda:N, auto")]
    [InlineData("name=a/b", "name: \"a/b\" cannot name a run folder")]
    [InlineData("name=..", "name: \"..\" cannot name a run folder")]
    [InlineData("name=\"\"", "name: \"\" cannot name a run folder")]
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

    public static TheoryData<string, string, string, string> Enumerations => new()
    {
        // assignments that make the recipe use the section, the misspelt name, its path, the allowed names
        { "gan.loss=hinje", "hinje", "gan.loss", string.Join(", ", RecipeNames.GanLosses) },
        { "family=vea", "vea", "family", string.Join(", ", RecipeNames.Families) },
        { "data.kind=circel", "circel", "data.kind", string.Join(", ", RecipeNames.DataKinds) },
        { "gan.generator.activation=tahn", "tahn", "gan.generator.activation", string.Join(", ", RecipeNames.Activations.Keys) },
        { "gan.discriminator.output_activation=sigmod", "sigmod", "gan.discriminator.output_activation", string.Join(", ", RecipeNames.Activations.Keys) },
        { "gan.generator.init=xavir", "xavir", "gan.generator.init", string.Join(", ", RecipeNames.Initializers.Keys) },
        { "gan.discriminator_optimizer.kind=adan", "adan", "gan.discriminator_optimizer.kind", string.Join(", ", RecipeNames.Optimizers) },
        { "gan.discriminator.kind=mpl", "mpl", "gan.discriminator.kind", "mlp, dcgan" },
        { "family=vae;vae.loss=bce-summ", "bce-summ", "vae.loss", string.Join(", ", RecipeNames.ReconstructionLosses.Keys) },
        { "family=autoencoder;autoencoder.corruption.kind=masing", "masing", "autoencoder.corruption.kind", string.Join(", ", RecipeNames.Corruptions) },
        { "family=autoencoder;autoencoder.encoder.kind=con", "con", "autoencoder.encoder.kind", "mlp, conv" },
    };

    [Theory]
    [MemberData(nameof(Enumerations))]
    public void AMisspeltNameIsNamedByItsPathWithTheNearestAndEveryAllowedName(string assignments, string wrong, string path, string allowed)
    {
        var recipe = RecipeJson.Parse("{}", "test", assignments.Split(';'));

        var error = Assert.Throws<RecipeException>(() => RecipeValidator.Validate(recipe));

        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(path)}: unknown \"{wrong}\" \\(did you mean \"[a-z0-9.-]+\"\\?\\); expected one of ", error.Message);
        Assert.EndsWith($"expected one of {allowed}", error.Message);
    }

    [Fact]
    public void APresetNameIsAValidRunName()
    {
        foreach (string name in Presets.Names)
            RecipeValidator.Validate(Presets.Get(name) with { Name = name });
    }
}
