using Latent.Models.Losses;
using Latent.Models.Regularizers;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models.Losses;

/// <summary>The derivatives the losses and the gradient penalty write out are autograd's, checked in float64.</summary>
public class ScoreGradientsTests
{
    public ScoreGradientsTests() => LatentRuntime.EnsureLoaded();

    public static TheoryData<string> Losses => ["non-saturating", "non-saturating-0.9", "minimax", "minimax-0.9", "wasserstein", "hinge", "least-squares"];

    [Theory]
    [MemberData(nameof(Losses))]
    public void WrittenOutScoreGradientsAreAutogradsDerivatives(string name)
    {
        using var scope = NewDisposeScope();
        IGanLoss loss = name switch
        {
            "non-saturating" => new NonSaturatingLoss(),
            "non-saturating-0.9" => new NonSaturatingLoss(0.9),
            "minimax" => new MinimaxLoss(),
            "minimax-0.9" => new MinimaxLoss(0.9),
            "wasserstein" => new WassersteinLoss(),
            "hinge" => new HingeLoss(),
            _ => new LeastSquaresLoss(),
        };
        manual_seed(3);
        // Scores spread over both sides of the hinge's kinks at ±1, with two exactly on them.
        var real = (2 * randn(30, 1, dtype: float64)).index_put_(tensor(1.0, float64), tensor(0L));
        var fake = (2 * randn(30, 1, dtype: float64)).index_put_(tensor(-1.0, float64), tensor(0L));

        var realLeaf = real.clone().requires_grad_(true);
        var fakeLeaf = fake.clone().requires_grad_(true);
        var expected = autograd.grad([loss.DiscriminatorLoss(realLeaf, fakeLeaf)], [realLeaf, fakeLeaf]);
        var generatorLeaf = fake.clone().requires_grad_(true);
        var expectedGenerator = autograd.grad([loss.GeneratorLoss(generatorLeaf)], [generatorLeaf])[0];

        var written = (IScoreGradients)loss;
        var (realGradient, fakeGradient) = written.DiscriminatorLossGradients(real, fake);

        AssertClose(expected[0], realGradient, "real");
        AssertClose(expected[1], fakeGradient, "fake");
        AssertClose(expectedGenerator, written.GeneratorLossGradient(fake), "generator");
    }

    [Fact]
    public void TheGradientPenaltysWrittenOutDerivativeIsAutogradsAndItsValueTheSame()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var gradient = randn(25, 3, dtype: float64);
        gradient[0] = zeros(3, dtype: float64); // the 1e-12 inside the root keeps this one finite

        var leaf = gradient.clone().requires_grad_(true);
        var expectedValue = GradientPenalty.OfGradient(leaf);
        var expected = autograd.grad([expectedValue], [leaf])[0];
        var (value, derivative) = GradientPenalty.OfGradientWithDerivative(gradient);

        Assert.Equal(expectedValue.item<double>(), value.item<double>(), 1e-14);
        AssertClose(expected, derivative, "penalty derivative");
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double error = (expected - actual).abs().max().item<double>();
        Assert.True(error <= 1e-15, $"{what}: max error {error:E2}");
    }
}
