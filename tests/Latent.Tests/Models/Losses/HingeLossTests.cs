using Latent.Models.Losses;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models.Losses;

public class HingeLossTests
{
    [Fact]
    public void DiscriminatorLossCountsOnlyExamplesInsideTheMargin()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // Reals: relu(1 − 2) = 0, relu(1 − 0) = 1 → mean ½. Fakes: relu(1 + 0) = 1, relu(1 − 3) = 0 → mean ½.
        var real = tensor(new float[] { 2, 0 });
        var fake = tensor(new float[] { 0, -3 });

        Assert.Equal(1, new HingeLoss().DiscriminatorLoss(real, fake).item<float>(), 1e-6);
        Assert.Equal(0, new HingeLoss().DiscriminatorLoss(full(2, 1.5f), full(2, -1.5f)).item<float>(), 1e-6);
    }

    [Fact]
    public void GeneratorLossIsMinusMeanFakeScore()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        Assert.Equal(-1.5, new HingeLoss().GeneratorLoss(tensor(new float[] { 0, 3 })).item<float>(), 1e-6);
    }

    [Fact]
    public void GradientIsZeroOutsideTheMargin()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var real = tensor(new float[] { 2, 0 }, requires_grad: true);
        var fake = tensor(new float[] { 0, -3 }, requires_grad: true);

        new HingeLoss().DiscriminatorLoss(real, fake).backward();

        // d/ds relu(1 − s) = −1 where s < 1, d/ds relu(1 + s) = 1 where s > −1; over N = 2.
        Assert.Equal(new float[] { 0, -0.5f }, real.grad!.data<float>().ToArray());
        Assert.Equal(new float[] { 0.5f, 0 }, fake.grad!.data<float>().ToArray());
    }

    [Fact]
    public void NameIsHingeAndScoresAreNotLogits()
    {
        Assert.Equal("hinge", new HingeLoss().Name);
        Assert.False(new HingeLoss().ScoresAreLogits);
    }
}
