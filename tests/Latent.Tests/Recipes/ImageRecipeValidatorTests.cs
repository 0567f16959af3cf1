using Latent.Recipes;

namespace Latent.Tests.Recipes;

public class ImageRecipeValidatorTests
{
    [Theory]
    // Convolutional nets need images.
    [InlineData("gan8g", "gan.generator.kind=dcgan", "gan.generator.kind: \"dcgan\" is a convolutional net for images; data.kind \"ring\" has vectors, expected \"mlp\"")]
    [InlineData("gan8g", "gan.discriminator.kind=dcgan", "gan.discriminator.kind: \"dcgan\" is a convolutional net for images")]
    [InlineData("vae2d", "vae.encoder.kind=conv", "vae.encoder.kind: \"conv\" is a convolutional net for images; data.kind \"clusters\"")]
    // Each net kind only where it fits.
    [InlineData("mnist-dcgan", "gan.discriminator.kind=conv", "gan.discriminator.kind: unknown \"conv\"")]
    [InlineData("mnist-vae-conv", "vae.encoder.kind=dcgan", "vae.encoder.kind: unknown \"dcgan\"")]
    // Conditional models need labels.
    [InlineData("gan8g", "gan.conditional=true", "gan.conditional: needs labelled data (mnist, fashion-mnist, idx); data.kind \"ring\" has no labels")]
    [InlineData("vae2d", "vae.conditional=true", "vae.conditional: needs labelled data (mnist, fashion-mnist, idx); data.kind \"clusters\" has no labels")]
    [InlineData("dcgan64", "gan.conditional=true", "gan.conditional: needs labelled data (mnist, fashion-mnist, idx); data.kind \"random-images\" has no labels")]
    [InlineData("mnist-cgan-mlp", "gan.label_embedding=0", "gan.label_embedding: 0 is out of range")]
    [InlineData("mnist-cgan-mlp", "gan.discriminator_label_embedding=0", "gan.discriminator_label_embedding: 0 is out of range")]
    // Binary cross-entropy needs targets in [0, 1].
    [InlineData("mnist-vae-mlp", "data.range=[-1,1]", "data.range: [-1, 1] with vae.loss \"bce-sum\"; binary cross-entropy needs targets in [0, 1], expected [0, 1] or null")]
    [InlineData("mnist-dae-conv", "data.range=[0,255]", "data.range: [0, 255] with autoencoder.loss \"bce\"")]
    // A per-example gradient penalty and a batch-mixing normalization do not go together.
    [InlineData("mnist-dcgan", "gan.gradient_penalty=10", "gan.discriminator.batch_norm: true with gan.gradient_penalty")]
    // Epochs count passes over a fixed image set.
    [InlineData("gan8g", "epochs=2", "epochs: counts passes over an image data set; data.kind \"ring\" is drawn afresh every step, so expected steps instead")]
    [InlineData("mnist-vae-mlp", "epochs=0", "epochs: 0 is out of range; expected a whole number ≥ 1")]
    // Malformed image fields.
    [InlineData("mnist-vae-mlp", "data.range=[1,0]", "data.range: [1, 0]; expected [low, high] with low < high, such as [-1, 1] or [0, 1]")]
    [InlineData("mnist-vae-mlp", "data.range=[0]", "data.range: [0]; expected [low, high] with low < high")]
    [InlineData("mnist-vae-mlp", "data.range=[0,0.5,1]", "data.range: [0, 0.5, 1]; expected [low, high]")]
    [InlineData("mnist-vae-mlp", "data.range=[0.5,0.5]", "data.range: [0.5, 0.5]; expected [low, high] with low < high")]
    [InlineData("mnist-vae-mlp", "data.image_size=0", "data.image_size: 0 is out of range")]
    [InlineData("dcgan64", "data.image_size=2", "data.image_size: 2 is out of range; expected a whole number ≥ 4")]
    [InlineData("mnist-vae-mlp", "data.classes=1", "data.classes: 1 is out of range; expected a whole number ≥ 2")]
    [InlineData("dcgan64", "data.channels=0", "data.channels: 0 is out of range")]
    [InlineData("mnist-vae-conv", "vae.encoder.layers=0", "vae.encoder.layers: 0 is out of range")]
    [InlineData("mnist-dcgan", "gan.generator.width=0", "gan.generator.width: 0 is out of range")]
    public void AnImpossibleImageRecipeIsRefusedNamingThePath(string preset, string assignment, string message)
    {
        var recipe = RecipeJson.WithOverrides(Presets.Get(preset), [assignment], preset);

        var error = Assert.Throws<RecipeException>(() => RecipeValidator.Validate(recipe));

        Assert.Contains(message, error.Message);
        Assert.StartsWith(message.Split(':')[0] + ":", error.Message);
    }

    [Fact]
    public void ConditionalModelsOnIdxDataAreAllowed()
    {
        var recipe = RecipeJson.WithOverrides(Presets.Get("mnist-cgan-mlp"), ["data.kind=idx", "data.train_images=a", "data.train_labels=b", "data.classes=3"], "test");

        RecipeValidator.Validate(recipe);
    }

    [Fact]
    public void AGradientPenaltyWithADcganCriticWithoutBatchNormIsAllowed()
    {
        var recipe = RecipeJson.WithOverrides(Presets.Get("mnist-dcgan"), ["gan.gradient_penalty=10", "gan.discriminator.batch_norm=false", "gan.loss=wasserstein"], "test");

        RecipeValidator.Validate(recipe);
    }
}
