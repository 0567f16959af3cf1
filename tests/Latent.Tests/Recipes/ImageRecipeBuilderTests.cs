using Latent.Data.Images;
using Latent.Recipes;
using Latent.Tests.Data.Images;
using Latent.Tests.Imaging;

namespace Latent.Tests.Recipes;

public class ImageRecipeBuilderTests(TinyIdxFolder idx) : IClassFixture<TinyIdxFolder>
{
    [Theory]
    [InlineData(100, 30, "vae", 1, false, 3, 12)]  // 4 batches per epoch (30 + 30 + 30 + 10), one per step
    [InlineData(100, 30, "gan", 5, false, 3, 3)]   // 12 batches, 5 per step: ⌈12 / 5⌉
    [InlineData(100, 30, "gan", 5, true, 3, 2)]    // feature matching reads one batch more: ⌈12 / 6⌉
    [InlineData(100, 30, "gan", 1, false, 2, 8)]
    [InlineData(91, 30, "vae", 2, false, 2, 6)]    // the last batch of one is dropped: 3 batches per epoch
    [InlineData(100, 100, "gan", 5, false, 1, 1)]  // a single batch per epoch still makes one step
    public void EpochsBecomeStepsOfBatchesPerEpochOverBatchesPerStep(int images, int batchSize, string family, int criticSteps,
                                                                      bool featureMatching, int epochs, long expectedSteps)
    {
        using var folder = new TemporaryFolder();
        var files = TinyImages.WriteIdx(folder.Path, trainCount: images, testCount: 10, classes: 3, side: 8);
        var recipe = new Recipe
        {
            Family = family, Epochs = epochs, BatchSize = batchSize, Steps = 777,
            Data = TinyIdxFolder.AsIdx(new DataSpec(), files, classes: 3),
            Gan = new() { CriticSteps = criticSteps, FeatureMatching = featureMatching ? 1 : 0, Generator = new() { Hidden = [4] }, Discriminator = new() { Hidden = [4] } },
            Vae = new() { Encoder = new() { Hidden = [4] }, Decoder = new() { Hidden = [4] } },
        };

        using var built = RecipeBuilder.Build(recipe);

        Assert.Equal(expectedSteps, built.Recipe.Steps);
        Assert.Null(built.Recipe.Epochs);
        Assert.Equal(ImageBatches.BatchesPerEpochOf(images, batchSize), Assert.IsType<ImageBatches>(built.Batches).BatchesPerEpoch);
    }

    [Fact]
    public void WithoutEpochsTheStepsAreKept()
    {
        var recipe = Presets.Get("mnist-vae-mlp") with { Epochs = null, Steps = 17, BatchSize = 8, Data = TinyIdxFolder.AsIdx(new DataSpec(), idx.TenClasses) };

        using var built = RecipeBuilder.Build(recipe);

        Assert.Equal(17, built.Recipe.Steps);
    }

    [Fact]
    public void IdxDataWithoutATrainingImagesFileIsRefusedNamingTheField()
    {
        var recipe = Presets.Get("mnist-vae-mlp") with { BatchSize = 8, Data = new DataSpec { Kind = "idx", TrainLabels = idx.TenClasses.TrainLabels } };

        var error = Assert.Throws<RecipeException>(() => RecipeBuilder.Build(recipe));

        Assert.StartsWith("data.train_images: missing; data.kind \"idx\" needs the paths of train_images and train_labels", error.Message);
    }

    [Fact]
    public void IdxDataWithTestImagesButNoTestLabelsIsRefusedNamingTheField()
    {
        var data = TinyIdxFolder.AsIdx(new DataSpec(), idx.TenClasses) with { TestLabels = null };
        var recipe = Presets.Get("mnist-vae-mlp") with { BatchSize = 8, Data = data };

        var error = Assert.Throws<RecipeException>(() => RecipeBuilder.Build(recipe));

        Assert.StartsWith("data.test_labels: missing", error.Message);
    }

    [Fact]
    public void AMissingIdxFileIsRefusedNamingTheFieldAndThePath()
    {
        string missing = Path.Combine(idx.Path, "no-such-file");
        var recipe = Presets.Get("mnist-vae-mlp") with { BatchSize = 8, Data = TinyIdxFolder.AsIdx(new DataSpec(), idx.TenClasses) with { TrainLabels = missing } };

        var error = Assert.Throws<RecipeException>(() => RecipeBuilder.Build(recipe));

        Assert.Equal($"data.train_labels: file '{missing}' does not exist; expected an IDX file", error.Message);
    }

    [Fact]
    public void AMalformedIdxFileIsADataFormatErrorNamingTheFile()
    {
        string broken = Path.Combine(idx.Path, "broken-images");
        File.WriteAllBytes(broken, [0, 0, 8, 3, 0, 0, 0, 40, 0, 0, 0, 28]); // a header cut short after the rows
        var recipe = Presets.Get("mnist-vae-mlp") with { BatchSize = 8, Data = TinyIdxFolder.AsIdx(new DataSpec(), idx.TenClasses) with { TrainImages = broken } };

        var error = Assert.Throws<DataFormatException>(() => RecipeBuilder.Build(recipe));

        Assert.Equal(broken, error.FilePath);
        Assert.StartsWith(broken + ":", error.Message);
    }

    [Fact]
    public void LabelsBeyondTheClassCountAreADataFormatErrorNamingTheLabelFile()
    {
        // The ten-class files hold labels up to 9; data.classes 3 says labels are 0 to 2.
        var recipe = Presets.Get("mnist-vae-mlp") with { BatchSize = 8, Data = TinyIdxFolder.AsIdx(new DataSpec(), idx.TenClasses, classes: 3) };

        var error = Assert.Throws<DataFormatException>(() => RecipeBuilder.Build(recipe));

        Assert.Equal(idx.TenClasses.TrainLabels, error.FilePath);
        Assert.Contains("label 3 of record 3", error.Message);
    }

    [Fact]
    public void ABatchLargerThanTheTrainingImagesIsRefused()
    {
        var recipe = Presets.Get("mnist-vae-mlp") with { Data = TinyIdxFolder.AsIdx(new DataSpec(), idx.TenClasses) }; // batch 128, 40 images

        var error = Assert.Throws<RecipeException>(() => RecipeBuilder.Build(recipe));

        Assert.Equal("batch_size: 128 is more than the 40 training images of data \"idx\"", error.Message);
    }

    [Theory]
    [InlineData("mnist-vae-mlp", "mnist")]
    [InlineData("fashion-dcgan", "fashion-mnist")]
    public void DataNotInstalledNamesTheFetchCommandWithTheDataFolder(string preset, string dataSet)
    {
        using var empty = new TemporaryFolder();
        var store = new DataStore(empty.Path);

        var error = Assert.Throws<DataNotInstalledException>(() => RecipeBuilder.Build(Presets.Get(preset), store));

        Assert.Equal(dataSet, error.DataSet);
        Assert.Equal(Path.Combine(empty.Path, dataSet), error.Folder);
        Assert.Equal($"latent data fetch {dataSet} --data-dir {empty.Path}", error.Command);
        Assert.Contains(error.Command, error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty.Path)); // looking leaves nothing behind
    }

    [Fact]
    public void RangeAndPaddingOfTheDataFollowTheRecipe()
    {
        var recipe = Presets.Get("mnist-vae-mlp") with
        {
            BatchSize = 8,
            Data = TinyIdxFolder.AsIdx(new DataSpec { Range = [-0.5, 0.5], ImageSize = 30 }, idx.TenClasses),
            Vae = Presets.Get("mnist-vae-mlp").Vae with { Loss = "sse", Decoder = new() { Hidden = [16], OutputActivation = "none" } },
        };

        using var built = RecipeBuilder.Build(recipe);
        var data = Assert.IsType<ImageData>(built.Data);

        Assert.Equal(new ImagePreprocessing(-0.5, 0.5, 30, Flatten: true), data.Preprocessing);
        Assert.Equal(900, data.Dimension);
        Assert.Equal(30, data.Test!.Count);
    }

    [Fact]
    public void AnImageSizeBelowTheImagesIsRefusedAsARecipeError()
    {
        var recipe = Presets.Get("mnist-vae-mlp") with { BatchSize = 8, Data = TinyIdxFolder.AsIdx(new DataSpec { ImageSize = 20 }, idx.TenClasses) };

        var error = Assert.Throws<RecipeException>(() => RecipeBuilder.Build(recipe));

        Assert.StartsWith("data: image size 20: smaller than the 28 × 28 images", error.Message);
    }

    // Sizes the validator cannot judge without the data: the image side must suit the convolutional nets. Each must be a
    // RecipeException naming the fields, like every other impossible recipe, not an ArgumentException from a net's constructor.
    [Theory]
    [InlineData("mnist-dcgan", "data.image_size=30", "data.image_size")]        // DCGAN: 28 or a power of two
    [InlineData("mnist-vae-conv", "data.image_size=30", "data.image_size")]     // 2 stride-2 layers need a side divisible by 4
    [InlineData("mnist-vae-conv", "vae.encoder.layers=3", "vae.encoder.layers")] // 28 is not divisible by 8
    [InlineData("mnist-dae-conv", "autoencoder.decoder.layers=3", "autoencoder.decoder.layers")]
    public void AnImageSideTheConvolutionalNetsCannotTakeIsARecipeErrorNamingTheField(string preset, string assignment, string field)
    {
        var recipe = RecipeJson.WithOverrides(Presets.Get(preset), [assignment], preset);
        recipe = recipe with { BatchSize = 8, Data = TinyIdxFolder.AsIdx(recipe.Data, idx.TenClasses) };

        var error = Record.Exception(() => RecipeBuilder.Build(recipe).Dispose());

        Assert.True(error is RecipeException, $"expected a RecipeException naming {field}, got {error?.GetType().Name}: {error?.Message}");
        Assert.Contains(field, error!.Message);
    }
}
