using Latent.Models.Losses;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models.Losses;

public class MinimaxLossTests
{
    private static double Softplus(double s) => Math.Log(1 + Math.Exp(s));

    private static double Sigmoid(double s) => 1 / (1 + Math.Exp(-s));

    [Fact]
    public void GeneratorLossAtZeroLogitIsMinusLn2()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // log(1 − σ(0)) = log ½ = −ln 2.
        var loss = new MinimaxLoss().GeneratorLoss(zeros(4, 1));

        Assert.Equal(-Math.Log(2), loss.item<float>(), 1e-6);
    }

    [Fact]
    public void DiscriminatorLossIsBinaryCrossEntropy()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var real = tensor(new float[] { 2, -1 });
        var fake = tensor(new float[] { 0.5f, -3 });

        // −log σ(s_r) = softplus(−s_r), −log(1 − σ(s_f)) = softplus(s_f).
        double expected = (Softplus(-2) + Softplus(1)) / 2 + (Softplus(0.5) + Softplus(-3)) / 2;
        Assert.Equal(expected, new MinimaxLoss().DiscriminatorLoss(real, fake).item<float>(), 1e-6);
        Assert.Equal(2 * Math.Log(2), new MinimaxLoss().DiscriminatorLoss(zeros(3), zeros(3)).item<float>(), 1e-6);
    }

    [Fact]
    public void GeneratorGradientIsMinusSigmoidOfScoreOverN()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var fake = tensor(new float[] { -4, 0, 3 }, requires_grad: true);

        new MinimaxLoss().GeneratorLoss(fake).backward();

        // d/ds (−softplus(s)) = −σ(s), over N = 3.
        var actual = fake.grad!.data<float>().ToArray();
        double[] scores = [-4, 0, 3];
        for (int i = 0; i < 3; i++)
            Assert.Equal(-Sigmoid(scores[i]) / 3, actual[i], 1e-6);
    }

    [Fact]
    public void GeneratorGradientSaturatesWhereTheNonSaturatingOneDoesNot()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // A discriminator that rejects fakes confidently, s_f = −10: σ(−10) ≈ 4.5e−5 against σ(10) ≈ 1.
        var minimax = tensor(new float[] { -10 }, requires_grad: true);
        var nonSaturating = tensor(new float[] { -10 }, requires_grad: true);

        new MinimaxLoss().GeneratorLoss(minimax).backward();
        new NonSaturatingLoss().GeneratorLoss(nonSaturating).backward();

        Assert.Equal(-Sigmoid(-10), minimax.grad![0].item<float>(), 1e-9);
        Assert.Equal(-Sigmoid(10), nonSaturating.grad![0].item<float>(), 1e-6);
    }

    [Fact]
    public void LabelSmoothingAtZeroLogitLeavesLn2()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // 0.9·softplus(0) + 0.1·softplus(0) = ln 2, whatever the label.
        var loss = new MinimaxLoss(realLabel: 0.9).DiscriminatorLoss(zeros(2), full(2, -100f));

        Assert.Equal(Math.Log(2), loss.item<float>(), 1e-6);
    }

    [Fact]
    public void RealLabelOutsideZeroToOneIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MinimaxLoss(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MinimaxLoss(1.5));
    }

    [Fact]
    public void NameIsMinimaxAndScoresAreLogits()
    {
        Assert.Equal("minimax", new MinimaxLoss().Name);
        Assert.True(new MinimaxLoss().ScoresAreLogits);
    }
}
