using Latent.Data;
using Latent.Evaluation;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class Wasserstein1DTests
{
    [Fact]
    public void OneSampleAtTheMeanIsStdTimesRootTwoOverPi()
    {
        // ∫_{−∞}^{0} Φ + ∫_{0}^{∞} (1 − Φ) = 2·G(0) = 2φ(0) = √(2/π), scaled by σ.
        RelativeAssert.Close(0.5 * 0.79788456080286535588, Wasserstein1D.ToNormal([3.0], mean: 3, std: 0.5), 1e-15);
    }

    [Fact]
    public void OneSampleOneStdAboveTheMeanMatchesTheClosedForm()
    {
        // A step at d against Φ: G(d) + G(−d) = d(2Φ(d) − 1) + 2φ(d) = 1.16663094117537259… at d = 1 (mpmath).
        RelativeAssert.Close(2 * 1.1666309411753725968, Wasserstein1D.ToNormal([1.0], mean: -1, std: 2), 1e-15);
    }

    [Fact]
    public void StepThatCrossesTheCdfInsideAnIntervalIsSplitThere()
    {
        // F_n is ½ on [−1, 0.5) and Φ crosses ½ at 0, inside it. mpmath quad with breaks at −1, 0, 0.5.
        RelativeAssert.Close(0.51433949517511930007, Wasserstein1D.ToNormal([0.5, -1.0], mean: 0, std: 1), 1e-14);
    }

    [Fact]
    public void AgreesWithNumericalIntegrationOnAnIrregularSample()
    {
        double[] samples = [0.3, -1.7, 2.2, 0.31, -0.05, 1.1, -0.6, 0.3];
        const double mean = 0.2, std = 1.3;

        // Simpson's rule on |F_n − Φ| over [μ − 14σ, μ + 14σ], h = 1e-4; the kinks where Φ crosses a step
        // make it second order there, still ~1e-9 overall.
        var sorted = samples.Order().ToArray();
        double Integrand(double x) => Math.Abs(sorted.Count(s => s <= x) / (double)sorted.Length - StandardNormal.Cdf((x - mean) / std));
        double lower = mean - 14 * std, upper = mean + 14 * std;
        var breaks = sorted.Distinct().Prepend(lower).Append(upper).ToArray();
        double integral = 0;
        for (int piece = 0; piece + 1 < breaks.Length; piece++)
        {
            double a = breaks[piece], b = breaks[piece + 1];
            int steps = 2 * (int)Math.Ceiling((b - a) / 2e-4);
            double h = (b - a) / steps;
            // Evaluate just inside the piece so the right-continuous step is read on the correct side at both ends.
            double sum = Integrand(a + 1e-12) + Integrand(b - 1e-12);
            for (int k = 1; k < steps; k++)
                sum += (k % 2 == 1 ? 4 : 2) * Integrand(a + k * h);
            integral += sum * h / 3;
        }

        RelativeAssert.Close(integral, Wasserstein1D.ToNormal(samples, mean, std), 1e-8);
    }

    [Fact]
    public void QuantileSamplesGiveASmallDistanceThatShrinksWithN()
    {
        double Distance(int n) =>
            Wasserstein1D.ToNormal(Enumerable.Range(1, n).Select(i => StandardNormal.Quantile((i - 0.5) / n)).ToArray(), mean: 0, std: 1);

        // Reference values by mpmath quadrature of |F_n − Φ| between the steps and the crossings.
        RelativeAssert.Close(0.12523332384798867639, Distance(10), 1e-13);
        RelativeAssert.Close(0.016135757759171311053, Distance(100), 1e-13);
        // The tails dominate, so the distance falls a little slower than 1/n.
        double thousand = Distance(1000);
        Assert.InRange(thousand, 0.016135757759171311053 / 10, 0.016135757759171311053 / 7);
    }

    [Fact]
    public void SampleAgainstItselfShiftedByCIsC()
    {
        double[] sample = [0.3, -1.7, 2.2, 0.31, -0.05, 1.1];
        var shifted = sample.Select(x => x + 0.75).ToArray();

        RelativeAssert.Close(0.75, Wasserstein1D.Between(sample, shifted), 1e-14);
        RelativeAssert.Close(0.75, Wasserstein1D.Between(shifted, sample), 1e-14);
        Assert.Equal(0.0, Wasserstein1D.Between(sample, sample));
    }

    [Fact]
    public void SamplesOfDifferentSizesIntegrateTheirStepGaps()
    {
        // F_a − F_b on [0, 0.5), [0.5, 1), [1, 2): 1/3, −2/3, −1/3 → 0.5/3 + 0.5·2/3 + 1/3 = 5/6.
        RelativeAssert.Close(5.0 / 6, Wasserstein1D.Between([2.0, 0.0, 1.0], [0.5]), 1e-15);
        // A point mass at 0 against ½ at 0 and ½ at 1: the gap ½ over [0, 1).
        Assert.Equal(0.5, Wasserstein1D.Between([0.0], [0.0, 1.0]));
    }

    [Fact]
    public void TensorColumnGivesTheSameDistanceAsItsValues()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var column = tensor(new double[] { 0.5, -1.0 }, [2, 1]);

        Assert.Equal(Wasserstein1D.ToNormal([0.5, -1.0], 0, 1), Wasserstein1D.ToNormal(column, 0, 1));
    }

    [Fact]
    public void InvalidInputsAreRefusedByName()
    {
        Assert.Equal("std", Assert.Throws<ArgumentOutOfRangeException>(() => Wasserstein1D.ToNormal([1.0], 0, 0)).ParamName);
        var nan = Assert.Throws<ArgumentException>(() => Wasserstein1D.ToNormal([1.0, double.NaN], 0, 1));
        Assert.Contains("samples[1]", nan.Message);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Wasserstein1D.Between([1.0], [])).ParamName);
    }
}
