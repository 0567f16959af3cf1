using Latent.Nets;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

public class DropoutTests
{
    [Fact]
    public void InTrainingEachElementIsZeroedOrScaledByOneOverOneMinusP()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var dropout = new Dropout(0.3);
        var x = rand(200, 500) + 1; // every element in [1, 2), so a zero can only be a dropped element

        var y = dropout.call(x);

        var kept = y.ne(0);
        var scaledBack = y.masked_select(kept) * 0.7;
        Assert.Equal(0.0, (scaledBack - x.masked_select(kept)).abs().max().item<float>(), 5);
    }

    [Fact]
    public void ItDropsAFractionPOfTheElements()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(0);
        foreach (double p in new[] { 0.1, 0.3, 0.5, 0.9 })
        {
            using var dropout = new Dropout(p);
            const int n = 1_000_000;

            double dropped = dropout.call(ones(n)).eq(0).sum().item<long>() / (double)n;

            // The binomial standard error is at most 0.0005 at n = 10⁶; six of them.
            Assert.InRange(dropped, p - 0.003, p + 0.003);
        }
    }

    [Fact]
    public void ItsMeanIsTheInputs()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var dropout = new Dropout(0.5);
        var x = full(1_000_000, 3.0f);

        double mean = dropout.call(x).mean().item<float>();

        Assert.InRange(mean, 3 - 0.01, 3 + 0.01); // standard error 0.003
    }

    [Fact]
    public void TheGradientIsTheMaskTimesTheScale()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var dropout = new Dropout(0.25);
        var x = (rand(64, 32) + 1).requires_grad_(true);

        var y = dropout.call(x);
        y.sum().backward();

        var expected = y.detach().ne(0).to(float32) / 0.75;
        Assert.Equal(0.0, (x.grad! - expected).abs().max().item<float>(), 6);
    }

    [Fact]
    public void InEvaluationAndAtZeroTheInputPassesThrough()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var x = randn(16, 8);
        using var evaluating = new Dropout(0.5);
        evaluating.eval();
        using var none = new Dropout(0);

        Assert.True(evaluating.call(x).eq(x).all().item<bool>());
        Assert.True(none.call(x).eq(x).all().item<bool>());
    }

    [Fact]
    public void TheSameSeedGivesTheSameMask()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var dropout = new Dropout(0.3);
        var x = ones(100, 100);

        manual_seed(7);
        var first = dropout.call(x);
        var other = dropout.call(x);
        manual_seed(7);
        var again = dropout.call(x);

        Assert.True(first.eq(again).all().item<bool>());
        Assert.False(first.eq(other).all().item<bool>());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void AProbabilityOutsideZeroToOneIsRefused(double p)
    {
        LatentRuntime.EnsureLoaded();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(p));

        Assert.Equal("probability", error.ParamName);
    }

    [Fact]
    public void MlpDropoutLayersAreThisOne()
    {
        LatentRuntime.EnsureLoaded();
        using var mlp = new Mlp(new MlpSpec([3, 8, 8, 2], Dropout: 0.3));

        var dropouts = mlp.named_modules().Where(m => m.name.Contains("dropout")).Select(m => m.module).ToArray();

        Assert.Equal(2, dropouts.Length);
        Assert.All(dropouts, module => Assert.Equal(0.3, Assert.IsType<Dropout>(module).Probability));
    }
}
