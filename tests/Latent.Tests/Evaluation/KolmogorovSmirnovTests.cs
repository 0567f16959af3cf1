using Latent.Data;
using Latent.Evaluation;

namespace Latent.Tests.Evaluation;

public class KolmogorovSmirnovTests
{
    [Fact]
    public void OneSampleAtTheMeanGivesOneHalf()
    {
        // F_n jumps from 0 to 1 where Φ = ½: the gap is ½ on both sides.
        Assert.Equal(0.5, KolmogorovSmirnov.ToNormal([3.0], mean: 3, std: 0.5));
    }

    [Fact]
    public void QuantileSamplesGiveHalfOverN()
    {
        // At z_i = Φ⁻¹((i − ½)/n) the step goes from (i − 1)/n to i/n, ½/n on either side of Φ.
        const int n = 50;
        var samples = Enumerable.Range(1, n).Select(i => 4 + 2 * StandardNormal.Quantile((i - 0.5) / n)).ToArray();

        RelativeAssert.Close(0.5 / n, KolmogorovSmirnov.ToNormal(samples, mean: 4, std: 2), 1e-12);
    }

    [Fact]
    public void TiedSamplesAreOneStepOfTheirCombinedHeight()
    {
        // Two samples at 0 make one step from 0 to 1 at Φ = ½.
        Assert.Equal(0.5, KolmogorovSmirnov.ToNormal([0.0, 0.0], mean: 0, std: 1));
    }

    [Fact]
    public void TwoSampleStatisticIsTheLargestStepGap()
    {
        Assert.Equal(1.0, KolmogorovSmirnov.Between([0.0, 1.0], [2.0, 3.0, 4.0]));
        Assert.Equal(0.0, KolmogorovSmirnov.Between([1.0, 2.0], [2.0, 1.0]));
        // F_a − F_b at 0, 0.5, 1, 2: 1/3, −2/3, −1/3, 0.
        RelativeAssert.Close(2.0 / 3, KolmogorovSmirnov.Between([0.0, 1.0, 2.0], [0.5]), 1e-15);
        // With ties, read after all equal values: at 1 the CDFs are 2/3 and 1/3, at 2 both are 1.
        RelativeAssert.Close(1.0 / 3, KolmogorovSmirnov.Between([1.0, 1.0, 2.0], [1.0, 2.0, 2.0]), 1e-15);
    }

    [Fact]
    public void InvalidInputsAreRefusedByName()
    {
        Assert.Equal("std", Assert.Throws<ArgumentOutOfRangeException>(() => KolmogorovSmirnov.ToNormal([1.0], 0, -1)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.Between([double.PositiveInfinity], [1.0])).ParamName);
    }
}
