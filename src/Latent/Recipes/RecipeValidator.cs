namespace Latent.Recipes;

/// <summary>
/// Checks a recipe before anything runs: known names, values in range, sections that fit together.
/// The first problem is thrown as a <see cref="RecipeException"/> naming its path and the allowed values.
/// </summary>
public static class RecipeValidator
{
    /// <summary>Throws <see cref="RecipeException"/> at the first impossible value of <paramref name="recipe"/>.</summary>
    public static void Validate(Recipe recipe)
    {
        ValidateName(recipe.Name);
        AtLeast(recipe.Steps, 1, "steps");
        AtLeast(recipe.BatchSize, 1, "batch_size");
        AtLeast(recipe.Seed, 0, "seed");
        AtLeast(recipe.SampleEvery, 0, "sample_every");
        ValidateEvaluation(recipe.Evaluation);
        ValidateCheckpoints(recipe.Checkpoints);
        RecipeNames.Check(recipe.OnNan, RecipeNames.NanPolicies, "on_nan");
        AtLeast(recipe.Logging.ScalarsEvery, 0, "logging.scalars_every");
        AtLeast(recipe.Logging.HistogramsEvery, 0, "logging.histograms_every");
        if (!System.Text.RegularExpressions.Regex.IsMatch(recipe.Device, "^(cpu|cuda|cuda:[0-9]+|auto)$"))
        {
            string hint = NameSuggestion.Closest(recipe.Device, ["cpu", "cuda", "auto"]) is { } near ? $" (did you mean \"{near}\"?)" : "";
            throw new RecipeException($"device: unknown \"{recipe.Device}\"{hint}; expected one of cpu, cuda, cuda:N, auto");
        }
        if (recipe.Threads is { } threads)
            AtLeast(threads, 1, "threads");
        ValidateData(recipe.Data);
        bool images = RecipeNames.ImageDataKinds.Contains(recipe.Data.Kind);
        if (recipe.Epochs is { } epochs)
        {
            AtLeast(epochs, 1, "epochs");
            if (!images)
                throw new RecipeException($"epochs: counts passes over an image data set; data.kind \"{recipe.Data.Kind}\" is drawn afresh every step, so expected steps instead");
        }
        switch (RecipeNames.Check(recipe.Family, RecipeNames.Families, "family"))
        {
            case "autoencoder":
                var ae = recipe.Autoencoder;
                AtLeast(ae.CodeDim, 1, "autoencoder.code_dim");
                ValidateEncoderDecoder(ae.Encoder, ae.Decoder, ae.Loss, "autoencoder", recipe.Data);
                if (ae.Corruption is { } corruption)
                {
                    string kind = RecipeNames.Check(corruption.Kind, RecipeNames.Corruptions, "autoencoder.corruption.kind");
                    if (kind == "gaussian")
                        Positive(corruption.Std, "autoencoder.corruption.std");
                    else if (!(corruption.Probability >= 0 && corruption.Probability < 1))
                        throw new RecipeException($"autoencoder.corruption.probability: {corruption.Probability} is out of range; expected a number in [0, 1)");
                }
                ValidateOptimizer(ae.Optimizer, "autoencoder.optimizer");
                break;
            case "vae":
                var vae = recipe.Vae;
                AtLeast(vae.LatentDim, 1, "vae.latent_dim");
                ValidateEncoderDecoder(vae.Encoder, vae.Decoder, vae.Loss, "vae", recipe.Data);
                if (vae.Conditional)
                    ValidateConditional(recipe.Data, vae.LabelEmbedding, "vae");
                NonNegative(vae.Beta, "vae.beta");
                AtLeast(vae.KlWarmupSteps, 0, "vae.kl_warmup_steps");
                ValidateOptimizer(vae.Optimizer, "vae.optimizer");
                break;
            case "gan":
                var gan = recipe.Gan;
                AtLeast(gan.LatentDim, 1, "gan.latent_dim");
                ValidateNet(gan.Generator, "gan.generator", recipe.Data, "mlp", "dcgan", "conv");
                ValidateNet(gan.Discriminator, "gan.discriminator", recipe.Data, "mlp", "dcgan");
                if (gan.Discriminator.Kind == "mlp" && gan.Discriminator.Hidden.Length == 0)
                    throw new RecipeException("gan.discriminator.hidden: empty; expected at least one hidden layer (its output is the discriminator's features)");
                string loss = RecipeNames.Check(gan.Loss, RecipeNames.GanLosses, "gan.loss");
                if (!(gan.RealLabel > 0 && gan.RealLabel <= 1))
                    throw new RecipeException($"gan.real_label: {gan.RealLabel} is out of range; expected a number in (0, 1] (0.9 is one-sided label smoothing)");
                if (gan.RealLabel != 1 && loss is not ("minimax" or "non-saturating"))
                    throw new RecipeException($"gan.real_label: label smoothing applies to the minimax and non-saturating losses, not to \"{loss}\"");
                AtLeast(gan.CriticSteps, 1, "gan.critic_steps");
                if (gan.GradientPenalty is { } lambda) Positive(lambda, "gan.gradient_penalty");
                if (gan.R1 is { } gamma) Positive(gamma, "gan.r1");
                if (gan.WeightClip is { } clip) Positive(clip, "gan.weight_clip");
                NonNegative(gan.FeatureMatching, "gan.feature_matching");
                if (gan.GradientClipNorm is { } norm) Positive(norm, "gan.gradient_clip_norm");
                if (gan.Ema is { } decay && !(decay >= 0 && decay < 1))
                    throw new RecipeException($"gan.ema: {decay} is out of range; expected a decay in [0, 1), such as 0.999");
                if (gan.Conditional)
                {
                    ValidateConditional(recipe.Data, gan.LabelEmbedding, "gan");
                    if (gan.DiscriminatorLabelEmbedding is { } embedding)
                        AtLeast(embedding, 1, "gan.discriminator_label_embedding");
                }
                if (gan.GradientPenalty is not null && gan.Discriminator.BatchNorm)
                    throw new RecipeException("gan.discriminator.batch_norm: true with gan.gradient_penalty; the penalty constrains each example's gradient, which batch normalization mixes across the batch (Gulrajani et al. 2017 use none): expected false");
                if (gan.Generator.MinibatchStdDev || gan.Generator.MinibatchKernels > 0)
                    throw new RecipeException("gan.generator: minibatch_std_dev and minibatch_kernels belong to the discriminator");
                ValidateOptimizer(gan.GeneratorOptimizer, "gan.generator_optimizer");
                ValidateOptimizer(gan.DiscriminatorOptimizer, "gan.discriminator_optimizer");
                break;
        }
        if (recipe.LrDecay is { } decaySpec)
        {
            if (!(decaySpec.Gamma > 0 && decaySpec.Gamma <= 1))
                throw new RecipeException($"lr_decay.gamma: {decaySpec.Gamma} is out of range; expected a number in (0, 1]");
            AtLeast(decaySpec.Every, 1, "lr_decay.every");
        }
    }

    /// <summary>The name becomes the run's folder (<c>runs/NAME</c>): it must be one plain folder name.</summary>
    private static void ValidateName(string name)
    {
        if (name.Length == 0 || name.Trim() != name || name is "." or ".." || name.IndexOfAny(['/', '\\', ':']) >= 0 || name.Any(char.IsControl))
            throw new RecipeException($"name: \"{name}\" cannot name a run folder; expected a name without '/', '\\', ':', control characters or surrounding spaces, such as \"my-gan\"");
    }

    private static void ValidateEncoderDecoder(NetSpec encoder, NetSpec decoder, string loss, string family, DataSpec data)
    {
        ValidateNet(encoder, $"{family}.encoder", data, "mlp", "conv");
        ValidateNet(decoder, $"{family}.decoder", data, "mlp", "dcgan", "conv");
        RecipeNames.Resolve(RecipeNames.ReconstructionLosses, loss, $"{family}.loss");
        // Binary cross-entropy reads the decoder's outputs as probabilities: they must come out of a sigmoid,
        // and its targets, the pixels, must be in [0, 1] too.
        if (loss is "bce" or "bce-sum" && decoder.OutputActivation != "sigmoid")
            throw new RecipeException($"{family}.decoder.output_activation: \"{decoder.OutputActivation}\" with {family}.loss \"{loss}\"; " +
                                      "binary cross-entropy needs probabilities, expected \"sigmoid\"");
        if (loss is "bce" or "bce-sum" && data.Range is [var low, var high] && (low, high) != (0, 1))
            throw new RecipeException($"data.range: [{low}, {high}] with {family}.loss \"{loss}\"; binary cross-entropy needs targets in [0, 1], expected [0, 1] or null");
    }

    private static void ValidateConditional(DataSpec data, int embedding, string family)
    {
        if (!RecipeNames.ImageDataKinds.Contains(data.Kind) || data.Kind == "random-images")
            throw new RecipeException($"{family}.conditional: needs labelled data (mnist, fashion-mnist, idx); data.kind \"{data.Kind}\" has no labels");
        AtLeast(embedding, 1, $"{family}.label_embedding");
    }

    private static void ValidateEvaluation(EvaluationSpec evaluation)
    {
        AtLeast(evaluation.Samples, 2, "evaluation.samples");
        AtLeast(evaluation.Every, 0, "evaluation.every");
        AtLeast(evaluation.EverySamples, 2, "evaluation.every_samples");
        if (evaluation.ImportanceSamples is null)
            throw new RecipeException("evaluation.importance_samples: missing; expected a list of codes per image such as [1, 50, 500], or [] for none");
        for (int i = 0; i < evaluation.ImportanceSamples.Length; i++)
            AtLeast(evaluation.ImportanceSamples[i], 1, $"evaluation.importance_samples[{i}]");
        if (evaluation.ImportanceImages is { } images)
            AtLeast(images, 1, "evaluation.importance_images");
    }

    private static void ValidateCheckpoints(CheckpointSpec checkpoints)
    {
        AtLeast(checkpoints.Every, 0, "checkpoints.every");
        AtLeast(checkpoints.KeepLast, 1, "checkpoints.keep_last");
        if (checkpoints.Best is { } best && !System.Text.RegularExpressions.Regex.IsMatch(best, "^[a-z][a-z0-9_]*$"))
            throw new RecipeException($"checkpoints.best: \"{best}\" is not a figure name; expected a name such as g_loss or classifier_fid, or null");
        RecipeNames.Check(checkpoints.BestMode, RecipeNames.BestModes, "checkpoints.best_mode");
    }

    private static void ValidateData(DataSpec data)
    {
        RecipeNames.Check(data.Kind, RecipeNames.DataKinds, "data.kind");
        if (data.Std is { } std) Positive(std, "data.std");
        if (data.Modes is { } modes) AtLeast(modes, 1, "data.modes");
        if (data.Radius is { } radius) Positive(radius, "data.radius");
        if (data.Side is { } side) AtLeast(side, 1, "data.side");
        if (data.Spacing is { } spacing) Positive(spacing, "data.spacing");
        if (data.Count is { } count) AtLeast(count, 1, "data.count");
        if (data.Noise is { } noise) NonNegative(noise, "data.noise");
        if (data.PointsPerCluster is { } points) AtLeast(points, 1, "data.points_per_cluster");
        if (data.Mean is { } mean && !double.IsFinite(mean))
            throw new RecipeException($"data.mean: {mean} is not a finite number");
        if (data.ImageSize is { } size) AtLeast(size, data.Kind == "random-images" ? 4 : 1, "data.image_size");
        if (data.Channels is { } channels) AtLeast(channels, 1, "data.channels");
        if (data.Classes is { } classes) AtLeast(classes, 2, "data.classes");
        if (data.Range is { } range && (range.Length != 2 || !range.All(double.IsFinite) || !(range[0] < range[1])))
            throw new RecipeException($"data.range: [{string.Join(", ", range)}]; expected [low, high] with low < high, such as [-1, 1] or [0, 1]");
    }

    private static void ValidateNet(NetSpec net, string path, DataSpec data, params string[] kinds)
    {
        string kind = RecipeNames.Check(net.Kind, kinds, $"{path}.kind");
        if (kind != "mlp" && !RecipeNames.ImageDataKinds.Contains(data.Kind))
            throw new RecipeException($"{path}.kind: \"{kind}\" is a convolutional net for images; data.kind \"{data.Kind}\" has vectors, expected \"mlp\"");
        if (net.Width is { } width) AtLeast(width, 1, $"{path}.width");
        if (net.Layers is { } layers) AtLeast(layers, 1, $"{path}.layers");
        if (kind == "mlp" && net.Hidden.Length == 0 && (net.BatchNorm || net.Dropout > 0))
            throw new RecipeException($"{path}.hidden: batch_norm and dropout need at least one hidden layer");
        for (int i = 0; i < net.Hidden.Length; i++)
            AtLeast(net.Hidden[i], 1, $"{path}.hidden[{i}]");
        RecipeNames.Resolve(RecipeNames.Activations, net.Activation, $"{path}.activation");
        RecipeNames.Resolve(RecipeNames.Activations, net.OutputActivation, $"{path}.output_activation");
        RecipeNames.Resolve(RecipeNames.Initializers, net.Init, $"{path}.init");
        Positive(net.LeakySlope, $"{path}.leaky_slope");
        if (!(net.Dropout >= 0 && net.Dropout < 1))
            throw new RecipeException($"{path}.dropout: {net.Dropout} is out of range; expected a probability in [0, 1)");
        AtLeast(net.MinibatchKernels, 0, $"{path}.minibatch_kernels");
        AtLeast(net.MinibatchKernelDim, 1, $"{path}.minibatch_kernel_dim");
    }

    private static void ValidateOptimizer(OptimizerSpec optimizer, string path)
    {
        RecipeNames.Check(optimizer.Kind, RecipeNames.Optimizers, $"{path}.kind");
        Positive(optimizer.Lr, $"{path}.lr");
        if (optimizer.Lr > 10)
            throw new RecipeException($"{path}.lr: {optimizer.Lr} is not a usable learning rate; expected a value such as 1e-4 to 1e-1");
        if (!(optimizer.Beta1 >= 0 && optimizer.Beta1 < 1))
            throw new RecipeException($"{path}.beta1: {optimizer.Beta1} is out of range; expected a number in [0, 1)");
        if (!(optimizer.Beta2 >= 0 && optimizer.Beta2 < 1))
            throw new RecipeException($"{path}.beta2: {optimizer.Beta2} is out of range; expected a number in [0, 1)");
        if (!(optimizer.Momentum >= 0 && optimizer.Momentum < 1))
            throw new RecipeException($"{path}.momentum: {optimizer.Momentum} is out of range; expected a number in [0, 1)");
        NonNegative(optimizer.WeightDecay, $"{path}.weight_decay");
    }

    private static void AtLeast(long value, long minimum, string path)
    {
        if (value < minimum)
            throw new RecipeException($"{path}: {value} is out of range; expected a whole number ≥ {minimum}");
    }

    private static void Positive(double value, string path)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new RecipeException($"{path}: {value} is out of range; expected a finite number > 0");
    }

    private static void NonNegative(double value, string path)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new RecipeException($"{path}: {value} is out of range; expected a finite number ≥ 0");
    }
}
