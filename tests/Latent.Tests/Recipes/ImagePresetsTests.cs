using Latent.Data.Images;
using Latent.Models;
using Latent.Nets;
using Latent.Recipes;
using static TorchSharp.torch;

namespace Latent.Tests.Recipes;

public class ImagePresetsTests(TinyIdxFolder idx) : IClassFixture<TinyIdxFolder>
{
    private static readonly string[] ImageKinds = ["mnist", "fashion-mnist", "random-images"];

    public static TheoryData<string> ImagePresetNames => [.. ImagePresets];

    private static IEnumerable<string> ImagePresets => Presets.Names.Where(name => ImageKinds.Contains(Presets.Get(name).Data.Kind));

    [Fact]
    public void EveryWorkloadIsAPresetOnBothDataSetsPlusTheSpeedRun()
    {
        string[] workloads = ["gan-mlp", "wgangp-mlp", "cgan-mlp", "dcgan", "vae-mlp", "vae-conv", "cvae-mlp", "dae-conv"];

        string[] expected = [.. workloads.Select(w => "mnist-" + w), .. workloads.Select(w => "fashion-" + w), "dcgan64"];
        Assert.Equal(expected.Order(), ImagePresets.Order());
        Assert.All(workloads, w => Assert.Equal("fashion-mnist", Presets.Get("fashion-" + w).Data.Kind));
        Assert.All(workloads, w => Assert.Equal("mnist", Presets.Get("mnist-" + w).Data.Kind));
    }

    [Theory]
    [MemberData(nameof(ImagePresetNames))]
    public void EveryImagePresetValidates(string name)
    {
        var recipe = Presets.Get(name);

        RecipeValidator.Validate(recipe);

        Assert.Equal(name, recipe.Name);
        Assert.True(recipe.Epochs is not null || recipe.Data.Kind == "random-images", $"{name} has no epochs");
    }

    [Fact]
    public void EveryFashionPresetIsTheMnistOneOnFashionMnist()
    {
        var fashion = ImagePresets.Where(name => name.StartsWith("fashion-", StringComparison.Ordinal)).ToList();

        Assert.Equal(8, fashion.Count);
        foreach (string name in fashion)
        {
            var recipe = Presets.Get(name);
            var mnist = Presets.Get("mnist-" + name["fashion-".Length..]);
            Assert.Equal(RecipeJson.Serialize(mnist with { Name = name, Description = recipe.Description, Data = mnist.Data with { Kind = "fashion-mnist" } }),
                         RecipeJson.Serialize(recipe));
        }
    }

    // The MNIST presets and the speed run: the Fashion-MNIST ones are the same recipes (see above) on data of the same shape.
    public static TheoryData<string> BuiltPresetNames => [.. ImagePresets.Where(name => !name.StartsWith("fashion-", StringComparison.Ordinal))];

    [Theory]
    [MemberData(nameof(BuiltPresetNames))]
    public void EveryImagePresetBuildsItsNetworksOnIdxFilesAndTrainsAStep(string name)
    {
        var preset = Presets.Get(name);
        // The same recipe on the tiny IDX files (28 × 28, 10 classes, padded as the preset asks), in batches of 8;
        // the speed run keeps its random 3 × 64 × 64 images, fewer of them in batches of 2 (its nets are the largest).
        int batchSize = preset.Data.Kind == "random-images" ? 2 : 8;
        var recipe = preset.Data.Kind == "random-images"
            ? preset with { Data = preset.Data with { Count = 8 }, BatchSize = batchSize }
            : preset with { Data = TinyIdxFolder.AsIdx(preset.Data, idx.TenClasses), BatchSize = batchSize };
        using var built = RecipeBuilder.Build(recipe);
        var data = Assert.IsType<ImageData>(built.Data);
        string kind = name.Split('-', 2) is [_, var rest] ? rest : name;
        int side = preset.Data.ImageSize ?? 28;
        int channels = preset.Data.Kind == "random-images" ? 3 : 1;
        using var scope = NewDisposeScope();

        var batch = built.Batches.Next();
        var metrics = built.Model.TrainStep(built.Batches);

        Assert.Equal((channels, side, side), (data.Channels, data.Height, data.Width));
        Assert.All(metrics.Values, figure => Assert.True(double.IsFinite(figure.Value), $"{figure.Key} = {figure.Value}"));
        Assert.NotNull(batch.Labels);
        bool perceptronMakesImages = DataBuilder.ImageProducer(recipe).Kind == "mlp";
        long[] example = perceptronMakesImages ? [channels * side * side] : [channels, side, side];
        Assert.Equal([batchSize, .. example], batch.Examples.shape);
        // Tanh generators get data in [−1, 1], sigmoid decoders in [0, 1].
        Assert.Equal(recipe.Family == "gan" ? -1.0 : 0.0, data.Preprocessing.Low);
        Assert.Equal(1.0, data.Preprocessing.High);

        switch (built.Model)
        {
            case Gan gan:
                Assert.Equal(kind == "cgan-mlp" ? 10 : 0, gan.Classes);
                Assert.Equal(100, gan.LatentDim);
                CheckGanNetworks(kind, gan, side, channels);
                Assert.Equal([3L, .. example], gan.Sample(3, new Generator(1)).shape);
                break;
            case VariationalAutoencoder vae:
                Assert.Equal(kind == "cvae-mlp" ? 10 : 0, vae.Classes);
                Assert.Equal(20, vae.LatentDim);
                var (encoder, decoder) = (vae.Networks["encoder"], vae.Networks["decoder"]);
                if (kind == "cvae-mlp")
                {
                    Assert.IsType<Mlp>(Assert.IsType<LabelConditioned>(encoder).Inner);
                    Assert.IsType<Mlp>(Assert.IsType<LabelConditioned>(decoder).Inner);
                    Assert.Equal(10, ((LabelConditioned)decoder).Classes);
                }
                else
                {
                    Assert.IsType(kind == "vae-conv" ? typeof(ConvEncoder) : typeof(Mlp), encoder);
                    Assert.IsType(kind == "vae-conv" ? typeof(ConvDecoder) : typeof(Mlp), decoder);
                }
                Assert.Equal([3L, .. example], vae.Sample(3, new Generator(1)).shape);
                break;
            case Autoencoder autoencoder:
                Assert.Equal("dae-conv", kind);
                Assert.IsType<ConvEncoder>(autoencoder.Networks["encoder"]);
                Assert.IsType<ConvDecoder>(autoencoder.Networks["decoder"]);
                Assert.NotNull(autoencoder.Corruption);
                Assert.Equal(batch.Examples.shape, autoencoder.Reconstruct(batch.Examples).shape);
                break;
            default:
                Assert.Fail($"{name} built a {built.Model.GetType().Name}");
                break;
        }
    }

    private static void CheckGanNetworks(string kind, Gan gan, int side, int channels)
    {
        switch (kind)
        {
            case "dcgan" or "dcgan64":
                var generator = Assert.IsType<DcganGenerator>(gan.Generator);
                var discriminator = Assert.IsType<DcganDiscriminator>(gan.Discriminator);
                Assert.Equal((side, channels, 64), (generator.Spec.ImageSize, generator.Spec.Channels, generator.Spec.Width));
                Assert.Equal((side, channels, 64), (discriminator.Spec.ImageSize, discriminator.Spec.Channels, discriminator.Spec.Width));
                break;
            case "cgan-mlp":
                // [004]: an embedding of 50 joined to the noise, one of 784 (the image's size) joined to the image.
                var conditionedGenerator = Assert.IsType<LabelConditioned>(gan.Generator);
                var conditionedDiscriminator = Assert.IsType<LabelConditioned>(gan.Discriminator);
                Assert.IsType<Mlp>(conditionedGenerator.Inner);
                Assert.IsType<Discriminator>(conditionedDiscriminator.Inner);
                Assert.Equal((10, 50), (conditionedGenerator.Classes, conditionedGenerator.EmbeddingDim));
                Assert.Equal((10, 784), (conditionedDiscriminator.Classes, conditionedDiscriminator.EmbeddingDim));
                Assert.Equal([100 + 50, 256, 512, 784], ((Mlp)conditionedGenerator.Inner).Spec.Widths);
                break;
            default:
                Assert.Equal([100, 256, 512, 784], Assert.IsType<Mlp>(gan.Generator).Spec.Widths);
                Assert.IsType<Discriminator>(gan.Discriminator);
                break;
        }
    }
}
