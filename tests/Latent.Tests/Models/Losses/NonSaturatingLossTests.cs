using Latent.Models.Losses;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models.Losses;

public class NonSaturatingLossTests
{
    private static readonly double Ln2 = Math.Log(2);

    private static double Softplus(double s) => Math.Log(1 + Math.Exp(s));

    private static double Sigmoid(double s) => 1 / (1 + Math.Exp(-s));

    [Fact]
    public void GeneratorLossAtZeroLogitIsLn2()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // D(G(z)) = σ(0) = ½, and −log ½ = ln 2; equivalently softplus(−0) = ln(1 + e⁰) = ln 2.
        var loss = new NonSaturatingLoss().GeneratorLoss(zeros(4));

        Assert.Equal(Ln2, loss.item<float>(), 1e-6);
    }

    [Fact]
    public void DiscriminatorLossAtZeroLogitsIsTwiceLn2()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // −log σ(0) − log(1 − σ(0)) = ln 2 + ln 2: the loss of a discriminator that cannot tell real from fake.
        var loss = new NonSaturatingLoss().DiscriminatorLoss(zeros(4, 1), zeros(4, 1));

        Assert.Equal(2 * Ln2, loss.item<float>(), 1e-6);
    }

    [Fact]
    public void LossesMatchTheirFormulasAtOtherLogits()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var loss = new NonSaturatingLoss();
        var real = tensor(new float[] { 2, -1 });
        var fake = tensor(new float[] { 0.5f, -3 });

        // D: mean softplus(−s_r) + mean softplus(s_f); G: mean softplus(−s_f).
        double expectedD = (Softplus(-2) + Softplus(1)) / 2 + (Softplus(0.5) + Softplus(-3)) / 2;
        double expectedG = (Softplus(-0.5) + Softplus(3)) / 2;
        Assert.Equal(expectedD, loss.DiscriminatorLoss(real, fake).item<float>(), 1e-6);
        Assert.Equal(expectedG, loss.GeneratorLoss(fake).item<float>(), 1e-6);
    }

    [Fact]
    public void GeneratorGradientIsMinusSigmoidOfMinusScoreOverN()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var fake = tensor(new float[] { -4, 0, 3 }, requires_grad: true);

        new NonSaturatingLoss().GeneratorLoss(fake).backward();

        // d/ds softplus(−s) = −σ(−s), and the mean divides by N = 3.
        var expected = new[] { -4.0, 0, 3 }.Select(s => -Sigmoid(-s) / 3).ToArray();
        var actual = fake.grad!.data<float>().ToArray();
        for (int i = 0; i < 3; i++)
            Assert.Equal(expected[i], actual[i], 1e-6);
    }

    [Fact]
    public void DiscriminatorGradientsAreAnalytic()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var real = tensor(new float[] { 1, -2 }, requires_grad: true);
        var fake = tensor(new float[] { 0.5f, 2 }, requires_grad: true);

        new NonSaturatingLoss().DiscriminatorLoss(real, fake).backward();

        // d/ds softplus(−s) = −σ(−s) for reals, d/ds softplus(s) = σ(s) for fakes, each over N = 2.
        Assert.Equal(-Sigmoid(-1) / 2, real.grad![0].item<float>(), 1e-6);
        Assert.Equal(-Sigmoid(2) / 2, real.grad![1].item<float>(), 1e-6);
        Assert.Equal(Sigmoid(0.5) / 2, fake.grad![0].item<float>(), 1e-6);
        Assert.Equal(Sigmoid(2) / 2, fake.grad![1].item<float>(), 1e-6);
    }

    [Fact]
    public void OneSidedLabelSmoothingTargetsRealsAtTheLabel()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var loss = new NonSaturatingLoss(realLabel: 0.9);

        // BCE(s_r = 2 → 0.9) = 0.9·softplus(−2) + 0.1·softplus(2); fakes keep target 0: softplus(0) = ln 2.
        double expected = 0.9 * Softplus(-2) + 0.1 * Softplus(2) + Ln2;
        Assert.Equal(expected, loss.DiscriminatorLoss(full(3, 2f), zeros(3)).item<float>(), 1e-6);
        Assert.Equal(0.9, loss.RealLabel);
    }

    [Fact]
    public void ConfidentLogitsGiveFiniteLossesAndGradients()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var fake = tensor(new float[] { -200 }, requires_grad: true);

        var generatorLoss = new NonSaturatingLoss().GeneratorLoss(fake);
        generatorLoss.backward();

        // softplus(200) = 200 to float precision; log(σ(−200) + 1e-8) would give 18.4 and no gradient.
        Assert.Equal(200, generatorLoss.item<float>(), 1e-3);
        Assert.Equal(-1, fake.grad![0].item<float>(), 1e-6);
        var discriminatorLoss = new NonSaturatingLoss().DiscriminatorLoss(full(2, 200f), full(2, -200f));
        Assert.Equal(0, discriminatorLoss.item<float>(), 1e-6);
    }

    [Fact]
    public void ScoresShapedNAndNx1GiveTheSameLoss()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var loss = new NonSaturatingLoss();
        var real = tensor(new float[] { 1, -2, 3 });
        var fake = tensor(new float[] { 0.5f, 2, -1 });

        Assert.Equal(loss.DiscriminatorLoss(real, fake).item<float>(), loss.DiscriminatorLoss(real.unsqueeze(1), fake.unsqueeze(1)).item<float>());
        Assert.Equal(loss.GeneratorLoss(fake).item<float>(), loss.GeneratorLoss(fake.unsqueeze(1)).item<float>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.5)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void RealLabelOutsideZeroToOneIsRefused(double realLabel)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NonSaturatingLoss(realLabel));
        Assert.Equal("realLabel", error.ParamName);
    }

    [Fact]
    public void NameIsNonSaturatingAndScoresAreLogits()
    {
        var loss = new NonSaturatingLoss();
        Assert.Equal("non-saturating", loss.Name);
        Assert.True(loss.ScoresAreLogits);
    }
}
