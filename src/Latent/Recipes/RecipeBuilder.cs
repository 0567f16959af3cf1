using Latent.Data;
using Latent.Data.Images;
using Latent.Models;
using Latent.Models.Corruption;
using Latent.Models.Losses;
using Latent.Models.Regularizers;
using Latent.Nets;
using Latent.Runtime;
using Latent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Recipes;

/// <summary>
/// Turns a <see cref="Recipe"/> into objects: data source, networks, losses, optimizers and the family.
/// The one place where recipe names become types (data by <see cref="DataBuilder"/>, networks by <see cref="NetBuilder"/>).
/// </summary>
public static class RecipeBuilder
{
    /// <summary>
    /// Validates and builds <paramref name="recipe"/>: sets libtorch's thread count (<see cref="Recipe.Threads"/>)
    /// and seeds every random stream from the recipe's seed first.
    /// </summary>
    /// <param name="recipe">What to build.</param>
    /// <param name="store">Where image data sets are installed; the default store when null.</param>
    /// <returns>The built run; its <see cref="BuiltRecipe.Recipe"/> has <see cref="Recipe.Epochs"/> turned into steps.</returns>
    /// <exception cref="RecipeException">The recipe is impossible (see <see cref="RecipeValidator"/>).</exception>
    /// <exception cref="DataNotInstalledException">The recipe's image data set has not been fetched.</exception>
    /// <exception cref="DataFormatException">An image or label file is malformed.</exception>
    public static BuiltRecipe Build(Recipe recipe, DataStore? store = null)
    {
        RecipeValidator.Validate(recipe);
        Device device;
        try
        {
            device = LatentRuntime.ResolveDevice(recipe.Device);
        }
        catch (ArgumentException e)
        {
            // The validator has checked the name; what remains is a device this machine does not have.
            throw new RecipeException(e.Message, e);
        }
        if ((recipe.Threads ?? DefaultThreads(recipe.Data)) is { } threads)
            LatentRuntime.SetThreads(threads);
        var random = new SeededRandom(recipe.Seed);
        IDataSource? data = null;
        try
        {
            data = DataBuilder.Build(recipe, random.Data, store ?? new DataStore());
            if (data is FixedDataset fixedSet && recipe.BatchSize > fixedSet.Count)
                throw new RecipeException($"batch_size: {recipe.BatchSize} is more than the {fixedSet.Count} points of data \"{recipe.Data.Kind}\"; " +
                                          $"expected at most {fixedSet.Count} ({fixedSet.Count} trains on the full batch)");
            if (data is ImageData imageSet && recipe.BatchSize > imageSet.Train.Count)
                throw new RecipeException($"batch_size: {recipe.BatchSize} is more than the {imageSet.Train.Count} training images of data \"{recipe.Data.Kind}\"");
            var shape = DataShape.Of(data);
            var model = recipe.Family switch
            {
                "autoencoder" => BuildAutoencoder(recipe.Autoencoder, shape, device, random),
                "vae" => BuildVae(recipe.Vae, shape, device, random),
                _ => (IGenerativeModel)BuildGan(recipe.Gan, shape, device, random),
            };
            IBatchSource batches = data is ImageData images
                ? images.Batches(recipe.BatchSize, random.Data, device)
                : new DataBatches(data, recipe.BatchSize, random.Data, device);
            return new BuiltRecipe(WithEpochsAsSteps(recipe, batches), random, data, model, batches, device);
        }
        catch
        {
            (data as IDisposable)?.Dispose();
            random.Dispose();
            throw;
        }
    }

    /// <summary>The thread count a recipe without one gets: 1 for every toy data set, libtorch's own (one per core) for images.</summary>
    private static int? DefaultThreads(DataSpec data) => RecipeNames.ToyDataKinds.Contains(data.Kind) ? 1 : null;

    /// <summary>The recipe with <see cref="Recipe.Epochs"/> turned into steps: epochs × batches per epoch ÷ batches per step, rounded up.</summary>
    private static Recipe WithEpochsAsSteps(Recipe recipe, IBatchSource batches)
    {
        if (recipe.Epochs is not { } epochs || batches is not ImageBatches images)
            return recipe;
        long batchesPerStep = recipe.Family == "gan" ? recipe.Gan.CriticSteps + (recipe.Gan.FeatureMatching > 0 ? 1 : 0) : 1;
        long steps = (epochs * images.BatchesPerEpoch + batchesPerStep - 1) / batchesPerStep;
        return recipe with { Steps = steps, Epochs = null };
    }

    private static Autoencoder BuildAutoencoder(AutoencoderSpec spec, DataShape shape, Device device, SeededRandom random)
    {
        var encoder = NetBuilder.Reader(spec.Encoder, shape, spec.CodeDim, 0, 0, device, "autoencoder.encoder");
        var decoder = NetBuilder.Producer(spec.Decoder, spec.CodeDim, shape, device, "autoencoder.decoder");
        ICorruption? corruption = spec.Corruption switch
        {
            null => null,
            { Kind: "masking" } masking => new MaskingCorruption(masking.Probability),
            var gaussian => new GaussianCorruption(gaussian.Std),
        };
        var optimizer = Optimizer(spec.Optimizer, encoder.parameters().Concat(decoder.parameters()));
        var loss = RecipeNames.Resolve(RecipeNames.ReconstructionLosses, spec.Loss, "autoencoder.loss");
        return new Autoencoder(encoder, decoder, optimizer, loss, random.Noise, corruption);
    }

    private static VariationalAutoencoder BuildVae(VaeSpec spec, DataShape shape, Device device, SeededRandom random)
    {
        var loss = RecipeNames.Resolve(RecipeNames.ReconstructionLosses, spec.Loss, "vae.loss");
        if (spec.Conditional)
        {
            int classes = ConditionalClasses(shape, "vae.conditional");
            var reads = NetBuilder.LabelInput(spec.Encoder, shape, spec.LabelEmbedding);
            var encoder = new LabelConditioned(NetBuilder.Reader(spec.Encoder, shape, 2 * spec.LatentDim, reads.Features, reads.Channels, device, "vae.encoder"),
                                               classes, reads.Embedding, reads.Join).to(device);
            var decoder = new LabelConditioned(NetBuilder.Producer(spec.Decoder, spec.LatentDim + spec.LabelEmbedding, shape, device, "vae.decoder"),
                                               classes, spec.LabelEmbedding).to(device);
            var conditionalOptimizer = Optimizer(spec.Optimizer, encoder.parameters().Concat(decoder.parameters()));
            return new VariationalAutoencoder(encoder, decoder, classes, conditionalOptimizer, spec.LatentDim, loss, random.Noise, spec.Beta, spec.KlWarmupSteps);
        }
        var plainEncoder = NetBuilder.Reader(spec.Encoder, shape, 2 * spec.LatentDim, 0, 0, device, "vae.encoder");
        var plainDecoder = NetBuilder.Producer(spec.Decoder, spec.LatentDim, shape, device, "vae.decoder");
        var optimizer = Optimizer(spec.Optimizer, plainEncoder.parameters().Concat(plainDecoder.parameters()));
        return new VariationalAutoencoder(plainEncoder, plainDecoder, optimizer, spec.LatentDim, loss, random.Noise, spec.Beta, spec.KlWarmupSteps);
    }

    private static Gan BuildGan(GanSpec spec, DataShape shape, Device device, SeededRandom random)
    {
        IGanLoss loss = spec.Loss switch
        {
            "minimax" => new MinimaxLoss(spec.RealLabel),
            "non-saturating" => new NonSaturatingLoss(spec.RealLabel),
            "wasserstein" => new WassersteinLoss(),
            "hinge" => new HingeLoss(),
            "least-squares" => new LeastSquaresLoss(),
            _ => throw new RecipeException($"gan.loss: unknown \"{spec.Loss}\"; expected one of {string.Join(", ", RecipeNames.GanLosses)}"),
        };
        var regularizers = new List<ICriticRegularizer>();
        if (spec.GradientPenalty is { } lambda)
            regularizers.Add(new GradientPenalty(lambda));
        if (spec.R1 is { } gamma)
            regularizers.Add(new R1Penalty(gamma));
        var constraints = new List<ICriticConstraint>();
        if (spec.WeightClip is { } clip)
            constraints.Add(new WeightClipping(clip));
        var options = new GanOptions
        {
            LatentDim = spec.LatentDim,
            CriticSteps = spec.CriticSteps,
            Regularizers = regularizers,
            Constraints = constraints,
            FeatureMatchingWeight = spec.FeatureMatching,
            GradientClipNorm = spec.GradientClipNorm,
            EmaDecay = spec.Ema,
        };

        if (spec.Conditional)
        {
            int classes = ConditionalClasses(shape, "gan.conditional");
            var reads = NetBuilder.LabelInput(spec.Discriminator, shape, spec.DiscriminatorLabelEmbedding ?? shape.Features);
            if (reads.Join == LabelJoin.Channel && spec.DiscriminatorLabelEmbedding is { } asked && asked != reads.Embedding)
                throw new RecipeException($"gan.discriminator_label_embedding: {asked}; a dcgan discriminator reads the label as one extra {shape.Height} × {shape.Width} channel, so expected {reads.Embedding} or null");
            LabelConditioned Generator() => new(NetBuilder.Producer(spec.Generator, spec.LatentDim + spec.LabelEmbedding, shape, device, "gan.generator"), classes, spec.LabelEmbedding);
            var generator = Generator().to(device);
            var discriminator = new LabelConditioned(NetBuilder.Critic(spec.Discriminator, shape, reads.Features, reads.Channels, device, "gan.discriminator"),
                                                     classes, reads.Embedding, reads.Join).to(device);
            var averagedConditional = spec.Ema is null ? null : Generator().to(device);
            return new Gan(generator, discriminator, classes, loss,
                           Optimizer(spec.GeneratorOptimizer, generator.parameters()),
                           Optimizer(spec.DiscriminatorOptimizer, discriminator.parameters()),
                           random.Noise, options, averagedConditional);
        }
        var plainGenerator = NetBuilder.Producer(spec.Generator, spec.LatentDim, shape, device, "gan.generator");
        var plainDiscriminator = NetBuilder.Critic(spec.Discriminator, shape, 0, 0, device, "gan.discriminator");
        var averaged = spec.Ema is null ? null : NetBuilder.Producer(spec.Generator, spec.LatentDim, shape, device, "gan.generator");
        return new Gan(plainGenerator, plainDiscriminator, loss,
                       Optimizer(spec.GeneratorOptimizer, plainGenerator.parameters()),
                       Optimizer(spec.DiscriminatorOptimizer, plainDiscriminator.parameters()),
                       random.Noise, options, averaged);
    }

    private static int ConditionalClasses(DataShape shape, string path) => shape.Classes >= 2
        ? shape.Classes
        : throw new RecipeException($"{path}: a conditional model needs labelled data of at least 2 classes (mnist, fashion-mnist, idx); this data has {(shape.Classes == 0 ? "no labels" : "1 class")}");

    /// <summary>
    /// The optimizer a spec names, over <paramref name="parameters"/> packed into one tensor
    /// (<see cref="PackedParameters"/>): one update for the whole network instead of one per parameter tensor.
    /// A parameter can be packed once, so each network gets one optimizer from here.
    /// </summary>
    public static optim.Optimizer Optimizer(OptimizerSpec spec, IEnumerable<TorchSharp.Modules.Parameter> parameters)
    {
        if (!RecipeNames.Optimizers.Contains(spec.Kind))
            throw new RecipeException($"optimizer kind: unknown \"{spec.Kind}\"; expected one of {string.Join(", ", RecipeNames.Optimizers)}");
        TorchSharp.Modules.Parameter[] packed = [PackedParameters.Pack(parameters).Flat];
        return spec.Kind switch
        {
            "adam" => new Training.Adam(packed, spec.Lr, spec.Beta1, spec.Beta2, weightDecay: spec.WeightDecay),
            "sgd" => optim.SGD(packed, spec.Lr, spec.Momentum, weight_decay: spec.WeightDecay),
            _ => optim.RMSProp(packed, spec.Lr, momentum: spec.Momentum, weight_decay: spec.WeightDecay),
        };
    }
}
