using Latent.Data;
using Latent.Models;
using Latent.Models.Corruption;
using Latent.Models.Losses;
using Latent.Models.Regularizers;
using Latent.Nets;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Recipes;

/// <summary>
/// Turns a <see cref="Recipe"/> into objects: data source, networks, losses, optimizers and the family.
/// The one place where recipe names become types.
/// </summary>
public static class RecipeBuilder
{
    /// <summary>
    /// Validates and builds <paramref name="recipe"/>: sets libtorch's thread count (<see cref="Recipe.Threads"/>)
    /// and seeds every random stream from the recipe's seed first.
    /// </summary>
    /// <exception cref="RecipeException">The recipe is impossible (see <see cref="RecipeValidator"/>).</exception>
    public static BuiltRecipe Build(Recipe recipe)
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
        try
        {
            var data = BuildData(recipe.Data, random.Data);
            if (data is FixedDataset fixedSet && recipe.BatchSize > fixedSet.Count)
                throw new RecipeException($"batch_size: {recipe.BatchSize} is more than the {fixedSet.Count} points of data \"{recipe.Data.Kind}\"; " +
                                          $"expected at most {fixedSet.Count} ({fixedSet.Count} trains on the full batch)");
            var model = recipe.Family switch
            {
                "autoencoder" => BuildAutoencoder(recipe.Autoencoder, data.Dimension, device, random),
                "vae" => BuildVae(recipe.Vae, data.Dimension, device, random),
                _ => (IGenerativeModel)BuildGan(recipe.Gan, data.Dimension, device, random),
            };
            return new BuiltRecipe(recipe, random, data, model, new DataBatches(data, recipe.BatchSize, random.Data, device), device);
        }
        catch
        {
            random.Dispose();
            throw;
        }
    }

    /// <summary>The thread count a recipe without one gets: 1 for every toy data set (all of today's kinds), else libtorch's own.</summary>
    private static int? DefaultThreads(DataSpec data) => RecipeNames.DataKinds.Contains(data.Kind) ? 1 : null;

    /// <summary>The data source a <see cref="DataSpec"/> names; fixed point sets are drawn from <paramref name="rng"/>.</summary>
    public static IDataSource BuildData(DataSpec spec, Generator rng) => spec.Kind switch
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

    private static Autoencoder BuildAutoencoder(AutoencoderSpec spec, int features, Device device, SeededRandom random)
    {
        var encoder = Perceptron(spec.Encoder, features, spec.CodeDim, device);
        var decoder = Perceptron(spec.Decoder, spec.CodeDim, features, device);
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

    private static VariationalAutoencoder BuildVae(VaeSpec spec, int features, Device device, SeededRandom random)
    {
        var encoder = Perceptron(spec.Encoder, features, 2 * spec.LatentDim, device);
        var decoder = Perceptron(spec.Decoder, spec.LatentDim, features, device);
        var optimizer = Optimizer(spec.Optimizer, encoder.parameters().Concat(decoder.parameters()));
        var loss = RecipeNames.Resolve(RecipeNames.ReconstructionLosses, spec.Loss, "vae.loss");
        return new VariationalAutoencoder(encoder, decoder, optimizer, spec.LatentDim, loss, random.Noise, spec.Beta, spec.KlWarmupSteps);
    }

    private static Gan BuildGan(GanSpec spec, int features, Device device, SeededRandom random)
    {
        var generator = Perceptron(spec.Generator, spec.LatentDim, features, device);
        var discriminator = Critic(spec.Discriminator, features, device);
        var averaged = spec.Ema is null ? null : Perceptron(spec.Generator, spec.LatentDim, features, device);
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
        return new Gan(generator, discriminator, loss,
                       Optimizer(spec.GeneratorOptimizer, generator.parameters()),
                       Optimizer(spec.DiscriminatorOptimizer, discriminator.parameters()),
                       random.Noise, options, averaged);
    }

    /// <summary>An <see cref="Mlp"/> from <paramref name="inputs"/> through the spec's hidden layers to <paramref name="outputs"/>.</summary>
    public static Mlp Perceptron(NetSpec spec, int inputs, int outputs, Device device)
    {
        var mlp = new Mlp(new MlpSpec(
            [inputs, .. spec.Hidden, outputs],
            Hidden: RecipeNames.Activations[spec.Activation],
            Output: RecipeNames.Activations[spec.OutputActivation],
            BatchNorm: spec.BatchNorm,
            Dropout: spec.Dropout,
            Init: RecipeNames.Initializers[spec.Init],
            LeakySlope: spec.LeakySlope,
            SpectralNorm: spec.SpectralNorm));
        mlp.to(device);
        return mlp;
    }

    /// <summary>A <see cref="Discriminator"/> over <paramref name="inputs"/> features with the spec's hidden layers and minibatch options.</summary>
    public static Discriminator Critic(NetSpec spec, int inputs, Device device)
    {
        var discriminator = new Discriminator(new DiscriminatorSpec(
            inputs,
            spec.Hidden,
            Activation: RecipeNames.Activations[spec.Activation],
            Dropout: spec.Dropout,
            SpectralNorm: spec.SpectralNorm,
            MinibatchStdDev: spec.MinibatchStdDev,
            MinibatchDiscrimination: spec.MinibatchKernels > 0 ? new MinibatchDiscriminationSpec(spec.MinibatchKernels, spec.MinibatchKernelDim) : null,
            Init: RecipeNames.Initializers[spec.Init],
            LeakySlope: spec.LeakySlope,
            BatchNorm: spec.BatchNorm));
        discriminator.to(device);
        return discriminator;
    }

    /// <summary>The optimizer a spec names, over <paramref name="parameters"/>.</summary>
    public static optim.Optimizer Optimizer(OptimizerSpec spec, IEnumerable<TorchSharp.Modules.Parameter> parameters) => spec.Kind switch
    {
        "adam" => optim.Adam(parameters, spec.Lr, spec.Beta1, spec.Beta2, weight_decay: spec.WeightDecay),
        "sgd" => optim.SGD(parameters, spec.Lr, spec.Momentum, weight_decay: spec.WeightDecay),
        "rmsprop" => optim.RMSProp(parameters, spec.Lr, momentum: spec.Momentum, weight_decay: spec.WeightDecay),
        _ => throw new RecipeException($"optimizer kind: unknown \"{spec.Kind}\"; expected one of {string.Join(", ", RecipeNames.Optimizers)}"),
    };
}
