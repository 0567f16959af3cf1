namespace Latent.Recipes;

/// <summary>
/// The image workloads of bench/WORKLOADS.md as presets, on MNIST (<c>mnist-…</c>) and on Fashion-MNIST
/// (<c>fashion-…</c>, Latent's split: the last 1,000 images of each class are the test set), plus <c>dcgan64</c>
/// on random images for speed, and convolutional and conditional VAEs and a convolutional denoising autoencoder.
/// </summary>
/// <remarks>
/// The GAN recipes are the PyTorch tutorial's [004] exactly: its nets, batch 64, Adam 2e-4 with β = (0.5, 0.999) and
/// one-sided label smoothing 0.9 for the BCE GANs, λ = 10, n_critic = 5 and Adam 1e-4 with β = (0, 0.9) for WGAN-GP.
/// The tutorial trains on random tensors and names no length; the epochs here are Latent's choice (see each
/// description). Images are scaled to [−1, 1] for the tanh generators and to [0, 1] for the sigmoid decoders.
/// </remarks>
internal static class ImagePresets
{
    private static readonly OptimizerSpec DcganAdam = new() { Lr = 2e-4, Beta1 = 0.5, Beta2 = 0.999 };
    private static readonly OptimizerSpec WganGpAdam = new() { Lr = 1e-4, Beta1 = 0, Beta2 = 0.9 };

    /// <summary>[004] G 100-256-512-784 with LeakyReLU(0.2) and BatchNorm1d, tanh out.</summary>
    private static readonly NetSpec MlpGenerator = new() { Hidden = [256, 512], Activation = "leaky-relu", BatchNorm = true, OutputActivation = "tanh" };

    /// <summary>[004] D 784-512-256-1 with LeakyReLU(0.2) and Dropout(0.3); its sigmoid is inside the BCE loss.</summary>
    private static readonly NetSpec MlpDiscriminator = new() { Hidden = [512, 256], Activation = "leaky-relu", Dropout = 0.3 };

    /// <summary>Every image preset, MNIST first, then the same recipes on Fashion-MNIST, then the speed run.</summary>
    public static IEnumerable<Recipe> All =>
        [.. ForDataSet("mnist", "MNIST"), .. ForDataSet("fashion-mnist", "Fashion-MNIST", prefix: "fashion"), Dcgan64];

    private static IEnumerable<Recipe> ForDataSet(string kind, string title, string? prefix = null)
    {
        prefix ??= kind;
        var data = new DataSpec { Kind = kind };
        yield return new Recipe
        {
            Name = $"{prefix}-gan-mlp",
            Description = $"[004] MLP GAN on {title}: BatchNorm in G, Dropout in D, label smoothing 0.9, Adam (0.5, 0.999); 30 epochs",
            Family = "gan", Epochs = 30, BatchSize = 64, Data = data, SampleEvery = 2000, Evaluation = new() { Every = 2000 },
            Gan = new()
            {
                LatentDim = 100, Loss = "non-saturating", RealLabel = 0.9,
                Generator = MlpGenerator, Discriminator = MlpDiscriminator,
                GeneratorOptimizer = DcganAdam, DiscriminatorOptimizer = DcganAdam,
            },
        };
        yield return new Recipe
        {
            Name = $"{prefix}-wgangp-mlp",
            Description = $"[004] WGAN-GP with MLP nets on {title}: λ 10, n_critic 5, Adam 1e-4 (0, 0.9); 30 epochs (each step reads 5 batches)",
            Family = "gan", Epochs = 30, BatchSize = 64, Data = data, SampleEvery = 1000, Evaluation = new() { Every = 1000 },
            Gan = new()
            {
                LatentDim = 100, Loss = "wasserstein", CriticSteps = 5, GradientPenalty = 10,
                Generator = new() { Hidden = [256, 512], Activation = "relu", OutputActivation = "tanh" },
                Discriminator = new() { Hidden = [512, 256], Activation = "leaky-relu" },
                GeneratorOptimizer = WganGpAdam, DiscriminatorOptimizer = WganGpAdam,
            },
        };
        yield return new Recipe
        {
            Name = $"{prefix}-cgan-mlp",
            Description = $"[004] conditional MLP GAN on {title}: label embedding 50 joined to the noise, 784 joined to the image; 30 epochs",
            Family = "gan", Epochs = 30, BatchSize = 64, Data = data, SampleEvery = 2000, Evaluation = new() { Every = 2000 },
            Gan = new()
            {
                LatentDim = 100, Loss = "non-saturating", RealLabel = 0.9, Conditional = true, LabelEmbedding = 50,
                Generator = MlpGenerator, Discriminator = MlpDiscriminator,
                GeneratorOptimizer = DcganAdam, DiscriminatorOptimizer = DcganAdam,
            },
        };
        yield return new Recipe
        {
            Name = $"{prefix}-dcgan",
            Description = $"[004] DCGAN at 1x32x32 ({title} padded to 32), ngf = ndf = 64, init N(0, 0.02), Adam 2e-4 (0.5, 0.999); 2 epochs",
            Family = "gan", Epochs = 2, BatchSize = 64, Data = data with { ImageSize = 32 }, SampleEvery = 200, Evaluation = new() { Every = 200 },
            Gan = new()
            {
                LatentDim = 100, Loss = "non-saturating",
                Generator = new() { Kind = "dcgan", Width = 64, BatchNorm = true, OutputActivation = "tanh", Init = "normal-0.02" },
                Discriminator = new() { Kind = "dcgan", Width = 64, BatchNorm = true, Activation = "leaky-relu", Init = "normal-0.02" },
                GeneratorOptimizer = DcganAdam, DiscriminatorOptimizer = DcganAdam,
            },
        };
        yield return new Recipe
        {
            Name = $"{prefix}-vae-mlp",
            Description = $"the classic {title} VAE: 784-400-(20, 20) / 20-400-784 sigmoid, BCE summed over pixels + KL, Adam 1e-3, batch 128, 10 epochs",
            Family = "vae", Epochs = 10, BatchSize = 128, Data = data,
            Vae = new()
            {
                LatentDim = 20, Loss = "bce-sum",
                Encoder = new() { Hidden = [400] }, Decoder = new() { Hidden = [400], OutputActivation = "sigmoid" },
                Optimizer = new() { Lr = 1e-3 },
            },
        };
        yield return new Recipe
        {
            Name = $"{prefix}-vae-conv",
            Description = $"convolutional VAE on {title}: 2 stride-2 convs (32, 64 channels) to a 20-d code and back, Bernoulli decoder; 10 epochs",
            Family = "vae", Epochs = 10, BatchSize = 128, Data = data,
            Vae = new()
            {
                LatentDim = 20, Loss = "bce-sum",
                Encoder = new() { Kind = "conv", Width = 32, Layers = 2 }, Decoder = new() { Kind = "conv", Width = 32, Layers = 2, OutputActivation = "sigmoid" },
                Optimizer = new() { Lr = 1e-3 },
            },
        };
        yield return new Recipe
        {
            Name = $"{prefix}-cvae-mlp",
            Description = $"conditional VAE on {title}: the MLP VAE with a label embedding of 10 joined to encoder and decoder inputs; 10 epochs",
            Family = "vae", Epochs = 10, BatchSize = 128, Data = data,
            Vae = new()
            {
                LatentDim = 20, Loss = "bce-sum", Conditional = true, LabelEmbedding = 10,
                Encoder = new() { Hidden = [400] }, Decoder = new() { Hidden = [400], OutputActivation = "sigmoid" },
                Optimizer = new() { Lr = 1e-3 },
            },
        };
        yield return new Recipe
        {
            Name = $"{prefix}-dae-conv",
            Description = $"convolutional denoising autoencoder on {title}: 25% of pixels masked, 32-d code, BCE; 5 epochs",
            Family = "autoencoder", Epochs = 5, BatchSize = 128, Data = data,
            Autoencoder = new()
            {
                CodeDim = 32, Loss = "bce", Corruption = new() { Kind = "masking", Probability = 0.25 },
                Encoder = new() { Kind = "conv", Width = 32, Layers = 2 }, Decoder = new() { Kind = "conv", Width = 32, Layers = 2, OutputActivation = "sigmoid" },
                Optimizer = new() { Lr = 1e-3 },
            },
        };
    }

    private static Recipe Dcgan64 => new()
    {
        Name = "dcgan64",
        Description = "[004] the tutorial's DCGAN at 3x64x64, ngf = ndf = 64, batch 16, on random images: a speed run, nothing to learn",
        Family = "gan", Steps = 20, BatchSize = 16, Data = new() { Kind = "random-images", ImageSize = 64, Channels = 3, Count = 1024 },
        Gan = new()
        {
            LatentDim = 100, Loss = "non-saturating",
            Generator = new() { Kind = "dcgan", Width = 64, BatchNorm = true, OutputActivation = "tanh", Init = "normal-0.02" },
            Discriminator = new() { Kind = "dcgan", Width = 64, BatchNorm = true, Activation = "leaky-relu", Init = "normal-0.02" },
            GeneratorOptimizer = DcganAdam, DiscriminatorOptimizer = DcganAdam,
        },
    };
}
