using Latent.Data;
using Latent.Data.Images;
using static TorchSharp.torch;

namespace Latent.Recipes;

/// <summary>Turns a recipe's <see cref="DataSpec"/> into a data source: a toy distribution or point set, or an image set.</summary>
public static class DataBuilder
{
    /// <summary>The source <paramref name="recipe"/>'s data section names.</summary>
    /// <param name="recipe">A validated recipe; images are scaled for the network that produces them (see <see cref="DataSpec.Range"/>).</param>
    /// <param name="rng">The run's data stream: draws fixed point sets and random images.</param>
    /// <param name="store">Where MNIST and Fashion-MNIST are installed.</param>
    /// <exception cref="RecipeException">A file named by the recipe does not exist.</exception>
    /// <exception cref="DataNotInstalledException">MNIST or Fashion-MNIST has not been fetched.</exception>
    /// <exception cref="DataFormatException">An image or label file is malformed.</exception>
    public static IDataSource Build(Recipe recipe, Generator rng, DataStore store)
    {
        var spec = recipe.Data;
        if (!RecipeNames.ImageDataKinds.Contains(spec.Kind))
            return Toy(spec, rng);
        var (train, test) = LoadImages(spec, rng, store);
        try
        {
            return new ImageData(train, test, Preprocessing(recipe));
        }
        catch (ArgumentException e)
        {
            train.Dispose();
            test?.Dispose();
            throw new RecipeException($"data: {e.Message}", e);
        }
    }

    /// <summary>The toy source a <see cref="DataSpec"/> names; fixed point sets are drawn from <paramref name="rng"/>.</summary>
    public static IDataSource Toy(DataSpec spec, Generator rng) => spec.Kind switch
    {
        "gaussian" => new Gaussian1D(spec.Mean ?? 0, spec.Std ?? 1),
        "bimodal" => spec.Std is { } std ? new BimodalGaussian(std: std) : new BimodalGaussian(),
        "ring" => new RingOfGaussians(spec.Modes ?? 8, spec.Radius ?? 2, spec.Std ?? 0.05),
        "grid" => new GridOfGaussians(spec.Side ?? 5, spec.Spacing ?? 2, spec.Std ?? 0.05),
        "circle" => new NoisyCircle(rng, spec.Count ?? 200, spec.Radius ?? 1, spec.Noise ?? 0.05),
        "sine" => new NoisySine(rng, spec.Count ?? 300, spec.Noise ?? 0.3),
        "clusters" => new ClusterMixture(rng, spec.PointsPerCluster ?? 100, spec.Std ?? 0.3),
        "patterns3x3" => new BinaryPatterns3x3(),
        _ => throw new RecipeException($"data.kind: unknown \"{spec.Kind}\"; expected one of {string.Join(", ", RecipeNames.DataKinds)}"),
    };

    /// <summary>
    /// How the recipe's images become model inputs: the range asked for, or the one the producing network's output
    /// activation implies; padding to <see cref="DataSpec.ImageSize"/>; rows for a perceptron that produces images.
    /// </summary>
    public static ImagePreprocessing Preprocessing(Recipe recipe)
    {
        var producer = ImageProducer(recipe);
        var (low, high) = recipe.Data.Range is [var l, var h] ? (l, h) : producer.OutputActivation == "tanh" ? (-1.0, 1.0) : (0.0, 1.0);
        int? padTo = recipe.Data.Kind == "random-images" ? null : recipe.Data.ImageSize;
        return new ImagePreprocessing(low, high, padTo, Flatten: producer.Kind == "mlp");
    }

    /// <summary>The network whose outputs are images: the generator of a GAN, the decoder otherwise.</summary>
    public static NetSpec ImageProducer(Recipe recipe) => recipe.Family switch
    {
        "gan" => recipe.Gan.Generator,
        "vae" => recipe.Vae.Decoder,
        _ => recipe.Autoencoder.Decoder,
    };

    private static (ImageDataset Train, ImageDataset? Test) LoadImages(DataSpec spec, Generator rng, DataStore store)
    {
        switch (spec.Kind)
        {
            case "idx":
                var classNames = Enumerable.Range(0, spec.Classes ?? 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
                var train = IdxFile.Load(ExistingFile(spec.TrainImages, "data.train_images"), ExistingFile(spec.TrainLabels, "data.train_labels"), "idx", classNames);
                if (spec.TestImages is null)
                    return (train, null);
                try
                {
                    return (train, IdxFile.Load(ExistingFile(spec.TestImages, "data.test_images"), ExistingFile(spec.TestLabels, "data.test_labels"), "idx test", classNames));
                }
                catch
                {
                    train.Dispose();
                    throw;
                }
            case "random-images":
                // Uniform noise images for speed runs (dcgan64): the same sizes and traffic as real data, nothing to learn.
                int side = spec.ImageSize ?? 64, channels = spec.Channels ?? 3, count = spec.Count ?? 1024;
                var pixels = randint(0, 256, [count, channels, side, side], dtype: ScalarType.Byte, generator: rng);
                return (new ImageDataset("random-images", pixels, zeros(count, dtype: int64), ["noise"]), null);
            default:
                var trainSplit = store.Load(spec.Kind, DataSplit.Train);
                try
                {
                    return (trainSplit, store.Load(spec.Kind, DataSplit.Test));
                }
                catch
                {
                    trainSplit.Dispose();
                    throw;
                }
        }
    }

    private static string ExistingFile(string? path, string field)
    {
        if (string.IsNullOrEmpty(path))
            throw new RecipeException($"{field}: missing; data.kind \"idx\" needs the paths of train_images and train_labels (test_images and test_labels optional)");
        if (!File.Exists(path))
            throw new RecipeException($"{field}: file '{path}' does not exist; expected an IDX file");
        return path;
    }
}
