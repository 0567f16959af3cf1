namespace Latent.Recipes;

/// <summary>
/// A whole training run as data: what to learn from, which family with which networks, losses and
/// optimizers, for how many steps, from which seed. Serializable to JSON (snake_case keys).
/// </summary>
/// <remarks>
/// Latent offers five levels, from one line to your own loop:
/// <list type="number">
/// <item><c>latent train wgangp8g</c>, or <c>Recipes.Presets.Get("wgangp8g")</c> handed to <see cref="RecipeRunner"/>.</item>
/// <item>A preset with changes: <c>Presets.Get("wgangp8g") with { Steps = 5_000 }</c>, or <c>--set gan.loss=hinge</c> on the command line.</item>
/// <item>Objects built by hand: <c>new Gan(generator, critic, new HingeLoss(), …)</c> trained by <c>Trainer.Fit</c> with callbacks.</item>
/// <item>A family of your own implementing <c>IGenerativeModel.TrainStep</c>, which keeps the trainer, callbacks and checkpoints.</item>
/// <item><c>gan.TrainStep(batches)</c> in a loop you write.</item>
/// </list>
/// Every field has a default; a preset is a short difference from them. Names (<c>"adam"</c>, <c>"hinge"</c>)
/// are resolved once, by <see cref="RecipeBuilder"/>, and checked by <see cref="RecipeValidator"/> with the path of
/// the offending field.
/// </remarks>
public sealed record Recipe
{
    /// <summary>The preset's or run's name.</summary>
    public string Name { get; init; } = "custom";

    /// <summary>One sentence on what the recipe is.</summary>
    public string? Description { get; init; }

    /// <summary>Drives data, initialization and noise; same seed and thread count, same numbers.</summary>
    public long Seed { get; init; }

    /// <summary>Training steps; one GAN step is n_critic critic updates and one generator update.</summary>
    public long Steps { get; init; } = 1000;

    /// <summary>
    /// Image data only: passes over the training set, which replace <see cref="Steps"/> when set. A step draws one batch
    /// (a GAN's draws n_critic), so an epoch is ⌈images / batch size⌉ batches; the built recipe holds the resulting steps.
    /// </summary>
    public int? Epochs { get; init; }

    /// <summary>Examples per batch; for a fixed dataset, at most its size (its size: full-batch training).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>
    /// libtorch's intra-op threads; part of the recipe because results are reproducible for a given thread count.
    /// When null: 1 for the toy data sets, whose tiny matrices make every op overhead-bound (measured ~3x faster
    /// than 2 threads on wgangp8g), and libtorch's default (one per core) otherwise.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>Training device: <c>cpu</c>, <c>cuda</c>, or <c>auto</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>What to learn.</summary>
    public DataSpec Data { get; init; } = new();

    /// <summary><c>autoencoder</c>, <c>vae</c> or <c>gan</c>; the matching section below is used.</summary>
    public string Family { get; init; } = "gan";

    /// <summary>The autoencoder section (also denoising autoencoders).</summary>
    public AutoencoderSpec Autoencoder { get; init; } = new();

    /// <summary>The VAE section.</summary>
    public VaeSpec Vae { get; init; } = new();

    /// <summary>The GAN section.</summary>
    public GanSpec Gan { get; init; } = new();

    /// <summary>Learning-rate decay applied to every optimizer; none when null.</summary>
    public LearningRateDecaySpec? LrDecay { get; init; }

    /// <summary>Steps between sample plots during training; 0 for only the final one.</summary>
    public long SampleEvery { get; init; }

    /// <summary>How the run is scored, at the end and during training.</summary>
    public EvaluationSpec Evaluation { get; init; } = new();

    /// <summary>When checkpoints are written during training and which are kept.</summary>
    public CheckpointSpec Checkpoints { get; init; } = new();

    /// <summary>
    /// What a step whose losses or gradient norms are NaN or infinite does: <c>stop</c> the run, keeping the last good
    /// checkpoint, or <c>skip</c> the step (its updates undone, the next batch drawn; ten skips in a row stop the run).
    /// </summary>
    public string OnNan { get; init; } = "stop";

    /// <summary>What the run records besides <c>metrics.jsonl</c>: TensorBoard event files, and how often.</summary>
    public LoggingSpec Logging { get; init; } = new();
}

/// <summary>
/// The training data. <c>kind</c> is a toy source (<c>gaussian</c>, <c>bimodal</c>, <c>ring</c>, <c>grid</c>,
/// <c>circle</c>, <c>sine</c>, <c>clusters</c>, <c>patterns3x3</c>) or an image set (<c>mnist</c>,
/// <c>fashion-mnist</c>, <c>idx</c> files by path, <c>random-images</c>); the other fields apply to the kinds named
/// on them and take each source's documented default when null.
/// </summary>
public sealed record DataSpec
{
    /// <summary>The source's name.</summary>
    public string Kind { get; init; } = "ring";

    /// <summary>gaussian: mean (default 0).</summary>
    public double? Mean { get; init; }

    /// <summary>gaussian, bimodal, ring, grid, clusters: component standard deviation.</summary>
    public double? Std { get; init; }

    /// <summary>ring: number of modes (default 8).</summary>
    public int? Modes { get; init; }

    /// <summary>ring, circle: radius (default 2 for the ring, 1 for the circle).</summary>
    public double? Radius { get; init; }

    /// <summary>grid: modes per side (default 5).</summary>
    public int? Side { get; init; }

    /// <summary>grid: distance between neighbouring modes (default 2).</summary>
    public double? Spacing { get; init; }

    /// <summary>circle, sine: number of points.</summary>
    public int? Count { get; init; }

    /// <summary>circle, sine: standard deviation of the Gaussian noise on the points.</summary>
    public double? Noise { get; init; }

    /// <summary>clusters: points per cluster (default 100).</summary>
    public int? PointsPerCluster { get; init; }

    /// <summary>Images: the side the images are padded to (32 pads MNIST's 28 for a DCGAN); their own size when null.</summary>
    public int? ImageSize { get; init; }

    /// <summary>
    /// Images: the values of a black and a white pixel, [low, high]. When null, [−1, 1] if the network that produces
    /// images (generator or decoder) ends in tanh, else [0, 1].
    /// </summary>
    public double[]? Range { get; init; }

    /// <summary>idx: the training images file (IDX, magic 2051).</summary>
    public string? TrainImages { get; init; }

    /// <summary>idx: the training labels file (IDX, magic 2049).</summary>
    public string? TrainLabels { get; init; }

    /// <summary>idx: the test images file; no test split when null.</summary>
    public string? TestImages { get; init; }

    /// <summary>idx: the test labels file.</summary>
    public string? TestLabels { get; init; }

    /// <summary>idx: the number of classes, labels 0 to classes − 1 (default 10).</summary>
    public int? Classes { get; init; }

    /// <summary>random-images: colour channels (default 3); the side is <see cref="ImageSize"/> (default 64), the number <see cref="Count"/> (default 1024).</summary>
    public int? Channels { get; init; }
}

/// <summary>
/// A network: a multilayer perceptron (<c>mlp</c>), a DCGAN generator or discriminator (<c>dcgan</c>), or a
/// convolutional encoder or decoder (<c>conv</c>); input and output sizes come from the family and the data.
/// </summary>
public sealed record NetSpec
{
    /// <summary><c>mlp</c> (default), <c>dcgan</c> (image generators and discriminators), <c>conv</c> (image encoders and decoders).</summary>
    public string Kind { get; init; } = "mlp";

    /// <summary>dcgan and conv: channels of the widest-resolution layer (ngf / ndf; default 64 for dcgan, 32 for conv), doubling as the resolution halves.</summary>
    public int? Width { get; init; }

    /// <summary>conv: stride-2 layers (default 2: 28 → 14 → 7).</summary>
    public int? Layers { get; init; }

    /// <summary>mlp: hidden layer widths, input side first.</summary>
    public int[] Hidden { get; init; } = [64];

    /// <summary>Hidden activation: <c>relu</c>, <c>leaky-relu</c>, <c>tanh</c>, <c>sigmoid</c>, <c>none</c>.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Output activation (same names); discriminators have none (they output logits).</summary>
    public string OutputActivation { get; init; } = "none";

    /// <summary>Negative slope of <c>leaky-relu</c> (default 0.2).</summary>
    public double LeakySlope { get; init; } = 0.2;

    /// <summary>BatchNorm after each hidden activation (dcgan: in every layer but the discriminator's first and the last ones, DCGAN's rule).</summary>
    public bool BatchNorm { get; init; }

    /// <summary>Dropout probability after each hidden layer; 0 for none.</summary>
    public double Dropout { get; init; }

    /// <summary>Weight initialization: <c>default</c> (libtorch's), <c>xavier</c>, <c>he</c>, <c>normal-0.02</c> (DCGAN).</summary>
    public string Init { get; init; } = "default";

    /// <summary>Spectral normalization of every linear layer (Miyato et al. 2018).</summary>
    public bool SpectralNorm { get; init; }

    /// <summary>Discriminators only: append the minibatch standard deviation as a feature before the head (Karras et al. 2018).</summary>
    public bool MinibatchStdDev { get; init; }

    /// <summary>Discriminators only: minibatch discrimination kernels (Salimans et al. 2016); 0 for none.</summary>
    public int MinibatchKernels { get; init; }

    /// <summary>Discriminators only: dimension of each minibatch discrimination kernel (default 8).</summary>
    public int MinibatchKernelDim { get; init; } = 8;
}

/// <summary>An optimizer and its hyperparameters.</summary>
public sealed record OptimizerSpec
{
    /// <summary><c>adam</c>, <c>sgd</c> or <c>rmsprop</c>.</summary>
    public string Kind { get; init; } = "adam";

    /// <summary>Learning rate.</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>Adam's β₁ (GANs commonly 0.5, WGAN-GP 0).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's β₂.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>SGD and RMSprop momentum.</summary>
    public double Momentum { get; init; }

    /// <summary>L2 weight decay.</summary>
    public double WeightDecay { get; init; }
}

/// <summary>An autoencoder, or a denoising one when <see cref="Corruption"/> is set.</summary>
public sealed record AutoencoderSpec
{
    /// <summary>Width of the code (the bottleneck).</summary>
    public int CodeDim { get; init; } = 1;

    /// <summary>Encoder hidden layers; its output is the code.</summary>
    public NetSpec Encoder { get; init; } = new();

    /// <summary>Decoder hidden layers; its output has the data's width.</summary>
    public NetSpec Decoder { get; init; } = new();

    /// <summary><c>mse</c>, <c>sse</c> (summed over features), <c>bce</c>, <c>bce-sum</c>.</summary>
    public string Loss { get; init; } = "mse";

    /// <summary>Input corruption of a denoising autoencoder; none when null. Images: masking suits [0, 1] pixels, gaussian any range.</summary>
    public CorruptionSpec? Corruption { get; init; }

    /// <summary>The optimizer over encoder and decoder.</summary>
    public OptimizerSpec Optimizer { get; init; } = new();
}

/// <summary>Noise on a denoising autoencoder's input, re-drawn every step.</summary>
public sealed record CorruptionSpec
{
    /// <summary><c>gaussian</c> (additive, <see cref="Std"/>) or <c>masking</c> (zeroing, <see cref="Probability"/>).</summary>
    public string Kind { get; init; } = "gaussian";

    /// <summary>gaussian: noise standard deviation.</summary>
    public double Std { get; init; } = 0.3;

    /// <summary>masking: chance that a value is zeroed.</summary>
    public double Probability { get; init; } = 0.25;
}

/// <summary>A variational autoencoder.</summary>
public sealed record VaeSpec
{
    /// <summary>Dimensions of z.</summary>
    public int LatentDim { get; init; } = 2;

    /// <summary>Encoder hidden layers; its output is μ and log σ².</summary>
    public NetSpec Encoder { get; init; } = new();

    /// <summary>Decoder hidden layers.</summary>
    public NetSpec Decoder { get; init; } = new();

    /// <summary>Reconstruction term: <c>mse</c>, <c>sse</c>, <c>bce</c>, <c>bce-sum</c>.</summary>
    public string Loss { get; init; } = "sse";

    /// <summary>β, weight of the KL term (1: the ELBO).</summary>
    public double Beta { get; init; } = 1;

    /// <summary>A conditional VAE: encoder and decoder also read the class label (labelled data only).</summary>
    public bool Conditional { get; init; }

    /// <summary>Conditional VAE: the size of the learned label embedding joined to the encoder's and decoder's inputs.</summary>
    public int LabelEmbedding { get; init; } = 10;

    /// <summary>Steps over which the KL weight rises linearly from 0 to β; 0 for none.</summary>
    public long KlWarmupSteps { get; init; }

    /// <summary>The optimizer over encoder and decoder.</summary>
    public OptimizerSpec Optimizer { get; init; } = new();
}

/// <summary>A GAN: networks, loss, critic regularization and stabilizers, optimizers.</summary>
public sealed record GanSpec
{
    /// <summary>Dimensions of the noise z.</summary>
    public int LatentDim { get; init; } = 2;

    /// <summary>Generator hidden layers.</summary>
    public NetSpec Generator { get; init; } = new();

    /// <summary>Discriminator (critic) hidden layers and options.</summary>
    public NetSpec Discriminator { get; init; } = new();

    /// <summary><c>minimax</c>, <c>non-saturating</c>, <c>wasserstein</c>, <c>hinge</c>, <c>least-squares</c>.</summary>
    public string Loss { get; init; } = "non-saturating";

    /// <summary>Target for real examples in BCE losses; below 1 is one-sided label smoothing (0.9 is common).</summary>
    public double RealLabel { get; init; } = 1;

    /// <summary>n_critic: discriminator updates per generator update.</summary>
    public int CriticSteps { get; init; } = 1;

    /// <summary>λ of the WGAN-GP gradient penalty (10 in Gulrajani et al. 2017); none when null.</summary>
    public double? GradientPenalty { get; init; }

    /// <summary>γ of the R1 penalty (Mescheder et al. 2018); none when null.</summary>
    public double? R1 { get; init; }

    /// <summary>Clip every critic parameter into [−c, c] after each update (WGAN: 0.01); none when null.</summary>
    public double? WeightClip { get; init; }

    /// <summary>Weight of feature matching added to the generator loss; 0 for none.</summary>
    public double FeatureMatching { get; init; }

    /// <summary>Largest L2 norm of each network's gradient; none when null.</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Decay of the EMA of generator weights used for sampling (0.999 is common); none when null.</summary>
    public double? Ema { get; init; }

    /// <summary>A conditional GAN (Mirza and Osindero 2014): generator and discriminator also read the class label (labelled data only).</summary>
    public bool Conditional { get; init; }

    /// <summary>Conditional GAN: the size of the label embedding joined to the noise (50 in the PyTorch tutorial).</summary>
    public int LabelEmbedding { get; init; } = 50;

    /// <summary>
    /// Conditional GAN: the size of the label embedding joined to the discriminator's input; null for the size of one
    /// example (784 on MNIST, as in the tutorial). A dcgan discriminator takes it as an extra image channel.
    /// </summary>
    public int? DiscriminatorLabelEmbedding { get; init; }

    /// <summary>The generator's optimizer.</summary>
    public OptimizerSpec GeneratorOptimizer { get; init; } = new() { Lr = 2e-4, Beta1 = 0.5 };

    /// <summary>The discriminator's optimizer (a different learning rate is TTUR, Heusel et al. 2017).</summary>
    public OptimizerSpec DiscriminatorOptimizer { get; init; } = new() { Lr = 2e-4, Beta1 = 0.5 };
}

/// <summary>Learning-rate decay: lr = lr₀ · γ^⌊step / every⌋ for every optimizer.</summary>
public sealed record LearningRateDecaySpec
{
    /// <summary>γ, the factor per period; in (0, 1].</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Steps per period.</summary>
    public long Every { get; init; } = 100;
}

/// <summary>
/// How a run is scored (see <see cref="RunEvaluator"/>). On image data, generated images are compared with the test split
/// in the feature space of Latent's own classifier for the data set (FID, KID, precision and recall, density and coverage,
/// class coverage); a VAE also gets its test negative ELBO and importance-weighted bounds.
/// </summary>
public sealed record EvaluationSpec
{
    /// <summary>Generated images scored at the end of training and by <c>latent eval</c>; FID's usual 10,000.</summary>
    public int Samples { get; init; } = 10_000;

    /// <summary>Steps between scorings during training, appended to <c>evals.jsonl</c> (FID curves); 0 for none.</summary>
    public long Every { get; init; }

    /// <summary>Generated images per scoring during training: fewer than at the end, for speed. Figures from different
    /// sample counts are not comparable (FID falls as samples grow), so every line says how many it used.</summary>
    public int EverySamples { get; init; } = 2_000;

    /// <summary>Codes per test image for the VAE's importance-weighted bounds (k of IWAE, Burda et al. 2016).</summary>
    public int[] ImportanceSamples { get; init; } = [1, 50, 500];

    /// <summary>Test images the importance-weighted bounds average over (the first ones of the split); null for all.</summary>
    public int? ImportanceImages { get; init; } = 2_000;
}

/// <summary>
/// Checkpoints during training: every <see cref="Every"/> steps and at the end (also when stopped by Ctrl+C or SIGTERM), in
/// <c>checkpoints/step-NNNNNN/</c>; the last <see cref="KeepLast"/> are kept, and the best by <see cref="Best"/> if set.
/// </summary>
public sealed record CheckpointSpec
{
    /// <summary>Steps between checkpoints; 0 for only the last one.</summary>
    public long Every { get; init; } = 1000;

    /// <summary>How many of the most recent checkpoints to keep; at least 1.</summary>
    public int KeepLast { get; init; } = 3;

    /// <summary>
    /// A figure that ranks checkpoints (a step figure such as <c>g_loss</c>, or an evaluation figure such as
    /// <c>classifier_fid</c> when <c>evaluation.every</c> scores at the same steps); the best is never deleted. None when null.
    /// </summary>
    public string? Best { get; init; }

    /// <summary>Whether a <c>min</c> or a <c>max</c> of <see cref="Best"/> is better.</summary>
    public string BestMode { get; init; } = "min";
}

/// <summary>
/// TensorBoard event files in the run's <c>tensorboard/</c> folder (<c>tensorboard --logdir runs</c> shows every run):
/// the training figures as scalars <c>train/NAME</c>, the evaluations of <see cref="EvaluationSpec.Every"/> as
/// <c>eval/NAME</c>, sample pictures, and on request histograms of the weights. <c>metrics.jsonl</c> stays the exact record.
/// </summary>
public sealed record LoggingSpec
{
    /// <summary>Write TensorBoard event files; on by default.</summary>
    public bool Tensorboard { get; init; } = true;

    /// <summary>
    /// Steps between the training scalars; 0 (default) chooses: every step for runs of up to 10,000 steps, else about
    /// 10,000 points spread over the run. The last step is always written.
    /// </summary>
    public long ScalarsEvery { get; init; }

    /// <summary>The sample picture (the run's <c>samples.png</c> at that step) every <see cref="Recipe.SampleEvery"/> steps and at the end.</summary>
    public bool Images { get; init; } = true;

    /// <summary>Steps between histograms of every network's weights (<c>weights/NETWORK/PARAMETER</c>); 0 (default) for none.</summary>
    public long HistogramsEvery { get; init; }
}
