using Latent.Models;
using Latent.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Studio.Live;

/// <summary>
/// The pieces both GAN panels share: recipes from the presets under the panel's loss name, live learning rates, and the
/// extra generator updates a panel may ask for beyond the one of <see cref="Gan.TrainStep"/>.
/// </summary>
internal static class GanPanel
{
    /// <summary>The losses of the 2D panel, by the names the page shows.</summary>
    public static readonly string[] Losses2D = ["gan", "non-saturating", "wgan", "wgan-gp", "hinge"];

    /// <summary>The losses of the 1D arena.</summary>
    public static readonly string[] Losses1D = ["minimax", "non-saturating", "wgan-gp"];

    /// <summary>
    /// The recipe of a panel's loss, from the ring presets: gan8g (minimax, non-saturating, hinge), wgan8g (weight
    /// clipping 0.01, RMSprop) and wgangp8g (λ 1, Adam (0, 0.9)), with the page's learning rates, critic steps and seed.
    /// </summary>
    public static Recipe Ring(string loss, double discriminatorLr, double generatorLr, int criticSteps, long seed)
    {
        var recipe = loss switch
        {
            "wgan" => Presets.Get("wgan8g"),
            "wgan-gp" => Presets.Get("wgangp8g"),
            _ => Presets.Get("gan8g"),
        };
        var gan = recipe.Gan with
        {
            Loss = loss switch
            {
                "gan" or "minimax" => "minimax",
                "hinge" => "hinge",
                "wgan" or "wgan-gp" => "wasserstein",
                _ => "non-saturating",
            },
            CriticSteps = criticSteps,
            GeneratorOptimizer = recipe.Gan.GeneratorOptimizer with { Lr = generatorLr },
            DiscriminatorOptimizer = recipe.Gan.DiscriminatorOptimizer with { Lr = discriminatorLr },
        };
        // One libtorch thread per live session: their matrices are tiny, and several sessions share the cores.
        return recipe with { Gan = gan, Seed = seed, Threads = 1, SampleEvery = 0 };
    }

    /// <summary>Sets every parameter group of the optimizer to <paramref name="lr"/>.</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = lr;
    }

    /// <summary>
    /// One more generator update after <see cref="Gan.TrainStep"/>'s, the same as its generator half: fresh z from the
    /// model's noise stream, the loss's generator objective through the unchanged discriminator, one optimizer step.
    /// </summary>
    public static void ExtraGeneratorStep(Gan gan, int batchSize, Generator noise)
    {
        var generator = (nn.Module<Tensor, Tensor>)gan.Generator;
        var discriminator = (nn.Module<Tensor, Tensor>)gan.Discriminator;
        var optimizer = gan.Optimizers["generator"];
        var z = randn([batchSize, gan.LatentDim], generator: noise).to(gan.Device);
        var loss = gan.Loss.GeneratorLoss(discriminator.call(generator.call(z)));
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
    }

    /// <summary>
    /// The direction the generator's loss pushes each generated point, −∂L_G/∂x, at <paramref name="points"/>: the
    /// arrows of GAN Lab. Only the points get gradients; the networks' own gradients are left untouched.
    /// </summary>
    public static Tensor PushOn(Gan gan, Tensor points)
    {
        var discriminator = (nn.Module<Tensor, Tensor>)gan.Discriminator;
        var x = points.detach().clone().requires_grad_(true);
        var loss = gan.Loss.GeneratorLoss(discriminator.call(x)) * points.shape[0]; // undo the mean: per-point gradients
        return -autograd.grad([loss], [x])[0];
    }

    /// <summary>
    /// Discriminator scores shown on a common scale: probabilities σ(D(x)) for logit losses, else the critic's raw
    /// scores; <paramref name="probabilities"/> says which.
    /// </summary>
    public static Tensor ShownScores(Gan gan, Tensor x, out bool probabilities)
    {
        probabilities = gan.Loss.ScoresAreLogits;
        var scores = gan.Score(x).reshape(-1);
        return probabilities ? scores.sigmoid() : scores;
    }
}
