using Latent.Models.Regularizers;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Models.Regularizers;

public class R1PenaltyTests
{
    [Fact]
    public void PenaltyForLinearCriticIsSquaredNorm()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(1);
        var w = tensor(new float[] { 3, 4 }, requires_grad: true);

        var penalty = new R1Penalty().Penalty(x => x.matmul(w), randn(8, 2), randn(8, 2), noise);
        penalty.backward();

        // ∇ₓ(w·x) = w: ‖w‖² = 25, and d/dw ‖w‖² = 2w = (6, 8).
        Assert.Equal(25, penalty.item<float>(), 1e-4);
        Assert.Equal(new float[] { 6, 8 }, w.grad!.data<float>().ToArray());
    }

    [Fact]
    public void FakeBatchIsNotUsed()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(2);
        var real = randn(5, 1, 2, 2);
        // D(x) = ½‖x‖²: ∇D = x, so the penalty is the mean squared norm of the real examples.
        Func<Tensor, Tensor> critic = x => 0.5 * x.square().flatten(1).sum(1);

        var withFake = new R1Penalty().Penalty(critic, real, randn(5, 1, 2, 2), noise);
        var withOtherFake = new R1Penalty().Penalty(critic, real, zeros(1), noise);

        double expected = real.square().flatten(1).sum(1).mean().item<float>();
        Assert.Equal(expected, withFake.item<float>(), 1e-5);
        Assert.Equal(withFake.item<float>(), withOtherFake.item<float>());
    }

    [Fact]
    public void PenaltyFromScoresEqualsTheSeparatePassWithTheSameGradient()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(3);
        var w = randn(2, 5).requires_grad_(true);
        Func<Tensor, Tensor> critic = x => x.matmul(w).tanh().sum(1, keepdim: true); // ∇ₓ depends on x
        var real = randn(6, 2);

        var separate = new R1Penalty().Penalty(critic, real, real, noise);
        separate.backward();
        var separateGradient = w.grad!.clone();
        w.grad!.zero_();
        var x = real.detach().requires_grad_(true);
        var shared = new R1Penalty().PenaltyFromScores(x, critic(x));
        shared.backward();

        Assert.Equal(separate.item<float>(), shared.item<float>(), 1e-6);
        Assert.True(w.grad!.allclose(separateGradient, rtol: 1e-6, atol: 1e-7));
    }

    [Fact]
    public void PenaltyFromScoresNeedsARealBatchThatRequiresAGradient()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var real = randn(4, 2);

        var error = Assert.Throws<ArgumentException>(() => new R1Penalty().PenaltyFromScores(real, real.sum(1, keepdim: true)));
        Assert.Equal("real", error.ParamName);
        Assert.Contains("require a gradient", error.Message);
    }

    [Fact]
    public void WeightIsHalfGammaAndNameIsR1()
    {
        var penalty = new R1Penalty(gamma: 10);
        Assert.Equal(5, penalty.Weight);
        Assert.Equal(10, penalty.Gamma);
        Assert.Equal("r1", penalty.Name);
    }

    [Fact]
    public void GammaMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new R1Penalty(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new R1Penalty(-2));
    }
}
