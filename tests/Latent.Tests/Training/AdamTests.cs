using Latent.Runtime;
using Latent.Training;
using TorchSharp;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Latent.Tests.Training;

/// <summary>Latent's Adam against TorchSharp's: the same steps, the same state files.</summary>
public class AdamTests
{
    [Theory]
    [InlineData(0.5, 0.999, 0.0)]  // the GAN presets
    [InlineData(0.0, 0.9, 0.0)]    // WGAN-GP: no first-moment memory
    [InlineData(0.9, 0.999, 0.01)] // the defaults, with L2 weight decay
    public void StepsAsTorchSharpsAdamDoesWhateverTheBetasAndDecay(double beta1, double beta2, double weightDecay)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(11);
        var (latent, stock) = Twins(randn(1000, generator: rng));
        using var latentAdam = new Adam([latent], 1e-2, beta1, beta2, weightDecay: weightDecay);
        using var stockAdam = optim.Adam([stock], 1e-2, beta1, beta2, weight_decay: weightDecay);

        for (int step = 1; step <= 60; step++)
        {
            if (step == 31) // a schedule lowering the rate mid-run: both read their group's rate each step
                foreach (var optimizer in new optim.Optimizer[] { latentAdam, stockAdam })
                    optimizer.ParamGroups.Single().LearningRate = 1e-3;
            StepBoth(randn(1000, generator: rng), latent, latentAdam, stock, stockAdam);
        }

        // 60 steps of size up to 1e-2 move each weight by up to ~0.3; the two agree to float32 rounding.
        double moved = (latent - Twins(randn(1000, generator: new Generator(11))).Latent).abs().max().item<float>();
        Assert.True(moved > 0.05, $"the weights moved only {moved}: the test would not see a wrong step");
        AssertClose(stock, latent);
    }

    [Fact]
    public void ABeta1ChangedMidRunIsHonouredLikeTorchSharps()
    {
        // Latent's Adam keeps 1 − β₁ as a tensor across steps; a schedule that changes β₁ must still be obeyed.
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(13);
        var (latent, stock) = Twins(randn(200, generator: rng));
        using var latentAdam = new Adam([latent], 1e-2, 0.9, 0.999);
        using var stockAdam = optim.Adam([stock], 1e-2, 0.9, 0.999);

        for (int step = 1; step <= 20; step++)
        {
            if (step == 11)
                foreach (var optimizer in new TorchSharp.Modules.OptimizerHelper[] { latentAdam, stockAdam })
                    ((TorchSharp.Modules.Adam.ParamGroup)optimizer.ParamGroups.Single()).Options.beta1 = 0.1;
            StepBoth(randn(200, generator: rng), latent, latentAdam, stock, stockAdam);
        }

        AssertClose(stock, latent);
    }

    [Fact]
    public void ItsStateFilesAreTorchSharpAdamsInBothDirections()
    {
        // Five steps, the state saved and loaded into TorchSharp's Adam, then five more steps on each: the same weights.
        // (Checkpoints written before Latent had its own Adam hold TorchSharp's files; they must load.)
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(12);
        var (latent, stock) = Twins(randn(300, generator: rng));
        var gradients = Enumerable.Range(0, 10).Select(_ => randn(300, generator: rng)).ToArray();
        using var latentAdam = new Adam([latent], 5e-3, 0.5, 0.999);
        using var stockAdam = optim.Adam([stock], 5e-3, 0.5, 0.999);
        for (int step = 0; step < 5; step++)
        {
            latent.grad = gradients[step].clone();
            latentAdam.step();
        }
        using (no_grad())
            stock.copy_(latent);
        stockAdam.load_state_dict(new BinaryReader(new MemoryStream(SavedState(latentAdam))));

        for (int step = 5; step < 10; step++)
        {
            StepBoth(gradients[step], latent, latentAdam, stock, stockAdam);
        }

        AssertClose(stock, latent);
        using var reloaded = new Adam([new Parameter(latent.detach().clone())], 5e-3, 0.5, 0.999);
        reloaded.load_state_dict(new BinaryReader(new MemoryStream(SavedState(stockAdam))));
        Assert.Equal(SavedState(stockAdam), SavedState(reloaded)); // step count and both moments, byte for byte
    }

    [Fact]
    public void AParameterWithoutAGradientIsLeftAlone()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var idle = new Parameter(ones(4));
        var moving = new Parameter(ones(4));
        using var adam = new Adam([idle, moving], 0.1);
        moving.grad = ones(4);

        adam.step();

        Assert.True(idle.equal(ones(4)).all().item<bool>());
        Assert.True((moving - 0.9).abs().max().item<float>() < 1e-6); // Adam's first step is lr · sign(g)
    }

    /// <summary>One step of each optimizer on the same gradient.</summary>
    private static void StepBoth(Tensor gradient, Parameter latent, optim.Optimizer latentAdam, Parameter stock, optim.Optimizer stockAdam)
    {
        latent.grad = gradient.clone();
        stock.grad = gradient.clone();
        latentAdam.step();
        stockAdam.step();
    }

    private static (Parameter Latent, Parameter Stock) Twins(Tensor start) =>
        (new Parameter(start.clone()), new Parameter(start.clone()));

    private static byte[] SavedState(OptimizerHelper optimizer)
    {
        using var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        return bytes.ToArray();
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference < 2e-6, $"the weights differ by up to {difference}");
    }
}
