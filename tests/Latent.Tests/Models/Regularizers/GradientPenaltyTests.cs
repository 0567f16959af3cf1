using Latent.Models.Regularizers;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Models.Regularizers;

public class GradientPenaltyTests
{
    [Theory]
    [InlineData(3f, 4f, 16.0)]      // ‖w‖ = 5: (5 − 1)² = 16
    [InlineData(0.6f, 0.8f, 0.0)]   // ‖w‖ = 1: on the constraint
    [InlineData(0.3f, 0.4f, 0.25)]  // ‖w‖ = ½: (½ − 1)² = ¼
    public void PenaltyForLinearCriticIsSquaredNormMinusOne(float w0, float w1, double expected)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(1);
        // D(x) = w·x has ∇ₓD = w at every point, so the penalty is (‖w‖ − 1)² whatever the inputs.
        var w = tensor(new[] { w0, w1 });

        var penalty = new GradientPenalty().Penalty(x => x.matmul(w), randn(8, 2) * 3, randn(8, 2) + 5, noise);

        Assert.Equal(expected, penalty.item<float>(), 1e-5);
    }

    [Fact]
    public void GradientWithRespectToTheCriticIsAnalytic()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(2);
        var w = tensor(new float[] { 3, 4 }, requires_grad: true);

        new GradientPenalty().Penalty(x => x.matmul(w), randn(8, 2), randn(8, 2), noise).backward();

        // d/dw (‖w‖ − 1)² = 2(‖w‖ − 1)·w/‖w‖ = 2·4·(0.6, 0.8) = (4.8, 6.4).
        var grad = w.grad!.data<float>().ToArray();
        Assert.Equal(4.8, grad[0], 1e-5);
        Assert.Equal(6.4, grad[1], 1e-5);
    }

    [Fact]
    public void WorksOnImageBatches()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(3);
        var w = full(16, 0.5f, requires_grad: true); // ‖w‖ = √(16 · ¼) = 2

        var penalty = new GradientPenalty().Penalty(x => x.flatten(1).matmul(w), randn(5, 1, 4, 4), randn(5, 1, 4, 4), noise);
        penalty.backward();

        Assert.Equal(1, penalty.item<float>(), 1e-5);
        // 2(‖w‖ − 1)·w/‖w‖ = 2·1·0.25 = 0.5 per weight.
        Assert.True(w.grad!.allclose(full(16, 0.5f), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void InterpolationWeightsArePerExampleUniformFromTheNoiseStream()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // D(x) = ½‖x‖² has ∇D = x̂ = ε·1 + (1 − ε)·0 = ε per example, so the penalty is mean((ε − 1)²).
        var real = ones(6, 1);
        var fake = zeros(6, 1);
        using var noise = new Generator(42);
        manual_seed(999); // the global generator must not matter
        var penalty = new GradientPenalty().Penalty(x => 0.5 * x.square().sum(1), real, fake, noise);

        using var replay = new Generator(42);
        var epsilon = rand([6, 1], generator: replay);
        double expected = (epsilon - 1).square().mean().item<float>();
        Assert.Equal(expected, penalty.item<float>(), 1e-6);
        Assert.True(epsilon.min().item<float>() >= 0 && epsilon.max().item<float>() <= 1);
        Assert.True(epsilon.std().item<float>() > 0); // not one ε for the whole batch
    }

    [Fact]
    public void ZeroCriticGradientGivesAFiniteGradient()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(4);
        // w = 0: ∇ₓD = 0, where a bare √ has an infinite derivative (0/0 = NaN in the backward).
        var w = zeros(3, requires_grad: true);

        var penalty = new GradientPenalty().Penalty(x => x.matmul(w), randn(4, 3), randn(4, 3), noise);
        penalty.backward();

        Assert.Equal(1, penalty.item<float>(), 1e-5);
        Assert.True(w.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void MismatchedBatchesAreRefusedWithBothShapes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noise = new Generator(5);

        var error = Assert.Throws<ArgumentException>(() => new GradientPenalty().Penalty(x => x.sum(1), zeros(4, 3), zeros(4, 2), noise));
        Assert.Contains("[4, 2]", error.Message);
        Assert.Contains("[4, 3]", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void WeightMustBePositive(double weight)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradientPenalty(weight));
    }

    [Fact]
    public void DefaultsAreLambda10AndNameGp()
    {
        var penalty = new GradientPenalty();
        Assert.Equal(10, penalty.Weight);
        Assert.Equal("gp", penalty.Name);
    }
}
