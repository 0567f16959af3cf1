using Latent.Models.Losses;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models.Losses;

public class WassersteinLossTests
{
    [Fact]
    public void CriticLossIsMeanFakeMinusMeanReal()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var real = tensor(new float[] { 3, 5 });        // mean 4
        var fake = tensor(new float[] { -1, 2, 2 });    // mean 1

        Assert.Equal(-3, new WassersteinLoss().DiscriminatorLoss(real, fake).item<float>(), 1e-6);
        Assert.Equal(-1, new WassersteinLoss().GeneratorLoss(fake).item<float>(), 1e-6);
    }

    [Fact]
    public void GradientsArePlusOrMinusOneOverN()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var real = tensor(new float[] { 3, 5 }, requires_grad: true);
        var fake = tensor(new float[,] { { -1 }, { 2 }, { 2 }, { 7 } }, requires_grad: true);

        new WassersteinLoss().DiscriminatorLoss(real, fake).backward();

        Assert.Equal(new float[] { -0.5f, -0.5f }, real.grad!.data<float>().ToArray());
        Assert.Equal(new float[] { 0.25f, 0.25f, 0.25f, 0.25f }, fake.grad!.data<float>().ToArray());
    }

    [Fact]
    public void NameIsWassersteinAndScoresAreNotLogits()
    {
        Assert.Equal("wasserstein", new WassersteinLoss().Name);
        Assert.False(new WassersteinLoss().ScoresAreLogits);
    }
}
