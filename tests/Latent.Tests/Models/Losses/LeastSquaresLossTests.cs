using Latent.Models.Losses;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models.Losses;

public class LeastSquaresLossTests
{
    [Fact]
    public void DiscriminatorLossIsHalfTheSquaredDistanceToTheTargets()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var loss = new LeastSquaresLoss();

        // Perfect: reals at b = 1, fakes at a = 0. Swapped: ½·1 + ½·1.
        Assert.Equal(0, loss.DiscriminatorLoss(ones(3), zeros(3)).item<float>(), 1e-6);
        Assert.Equal(1, loss.DiscriminatorLoss(zeros(3, 1), ones(3, 1)).item<float>(), 1e-6);
        // ½·mean((3 − 1)², (−1 − 1)²) + ½·mean(2², 0²) = ½·4 + ½·2 = 3.
        Assert.Equal(3, loss.DiscriminatorLoss(tensor(new float[] { 3, -1 }), tensor(new float[] { 2, 0 })).item<float>(), 1e-6);
    }

    [Fact]
    public void GeneratorLossPullsFakesToOne()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var fake = tensor(new float[] { 0, 3 }, requires_grad: true);

        var loss = new LeastSquaresLoss().GeneratorLoss(fake);
        loss.backward();

        // ½·mean(1, 4) = 1.25; d/ds ½(s − 1)² / N = (s − 1) / 2.
        Assert.Equal(1.25, loss.item<float>(), 1e-6);
        Assert.Equal(new float[] { -0.5f, 1 }, fake.grad!.data<float>().ToArray());
    }

    [Fact]
    public void NameIsLeastSquaresAndScoresAreNotLogits()
    {
        Assert.Equal("least-squares", new LeastSquaresLoss().Name);
        Assert.False(new LeastSquaresLoss().ScoresAreLogits);
    }
}
