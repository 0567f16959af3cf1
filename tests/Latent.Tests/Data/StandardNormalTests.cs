using Latent.Data;
using Latent.Tests.Evaluation;

namespace Latent.Tests.Data;

public class StandardNormalTests
{
    // Reference values from mpmath at 30 digits (ncdf, erfc, sqrt(2)·erfinv(2p − 1)).
    [Theory]
    [InlineData(1.96, 0.97500210485177956586)]
    [InlineData(-3.0, 0.0013498980316300945267)]
    [InlineData(0.0, 0.5)]
    [InlineData(0.3, 0.61791142218895263731)]
    [InlineData(-1.0, 0.15865525393145705141)]
    [InlineData(2.5, 0.99379033467422386483)]
    [InlineData(-5.0, 2.8665157187919391167e-7)]
    [InlineData(-10.0, 7.619853024160526066e-24)]
    public void CdfMatchesHighPrecisionValues(double x, double expected)
    {
        RelativeAssert.Close(expected, StandardNormal.Cdf(x), 2e-15);
    }

    [Fact]
    public void CdfKeepsRelativePrecisionFarInTheLowerTail()
    {
        RelativeAssert.Close(2.7536241186062336951e-89, StandardNormal.Cdf(-20), 1e-14);
        RelativeAssert.Close(5.7255712225245768227e-300, StandardNormal.Cdf(-37), 1e-14);
        Assert.Equal(1.0 - 6.220960574271784e-16, StandardNormal.Cdf(8), 2.3e-16);
    }

    [Theory]
    [InlineData(0.1, 0.8875370839817151078)]
    [InlineData(0.4, 0.5716076449533315449)]
    [InlineData(0.5, 0.47950012218695346232)]
    [InlineData(1.0, 0.15729920705028513066)]
    [InlineData(2.0, 0.0046777349810472658379)]
    [InlineData(3.9, 3.4792248597231742278e-8)]
    [InlineData(4.5, 1.9661604415428874763e-10)]
    [InlineData(6.0, 2.1519736712498913117e-17)]
    [InlineData(10.0, 2.088487583762544757e-45)]
    [InlineData(26.0, 5.6631924088561428465e-296)]
    [InlineData(-1.0, 1.8427007929497148693)]
    [InlineData(-3.0, 1.9999779095030014146)]
    [InlineData(1e-10, 0.99999999988716208329)]
    public void ErfcMatchesHighPrecisionValuesInEveryRange(double x, double expected)
    {
        RelativeAssert.Close(expected, StandardNormal.Erfc(x), 1e-15);
    }

    [Fact]
    public void DensityAtZeroIsOneOverSqrtTwoPi()
    {
        RelativeAssert.Close(1 / Math.Sqrt(2 * Math.PI), StandardNormal.Density(0), 1e-16);
        RelativeAssert.Close(Math.Exp(-2) / Math.Sqrt(2 * Math.PI), StandardNormal.Density(-2), 1e-15);
    }

    [Theory]
    [InlineData(0.975, 1.9599639845400542355)]
    [InlineData(0.3, -0.52440051270804078404)]
    [InlineData(1e-10, -6.3613409024040562047)]
    public void QuantileMatchesHighPrecisionValues(double p, double expected)
    {
        RelativeAssert.Close(expected, StandardNormal.Quantile(p), 1e-14);
    }

    [Fact]
    public void QuantileInvertsTheCdf()
    {
        // Φ amplifies the last-bit error of x by about x², so far tails get a looser bound (x ≈ −37 at 1e-300).
        foreach (double p in new[] { 1e-20, 0.001, 0.25, 0.5, 0.6, 0.999 })
            RelativeAssert.Close(p, StandardNormal.Cdf(StandardNormal.Quantile(p)), 1e-14);
        RelativeAssert.Close(1e-300, StandardNormal.Cdf(StandardNormal.Quantile(1e-300)), 5e-13);
        Assert.Equal(double.NegativeInfinity, StandardNormal.Quantile(0));
        Assert.Equal(double.PositiveInfinity, StandardNormal.Quantile(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => StandardNormal.Quantile(1.5));
    }
}
