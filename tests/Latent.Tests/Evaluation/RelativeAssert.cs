namespace Latent.Tests.Evaluation;

/// <summary>Two-sided checks with a relative tolerance, the way metric values are compared in these tests.</summary>
internal static class RelativeAssert
{
    public static void Close(double expected, double actual, double relativeTolerance)
    {
        double allowed = relativeTolerance * Math.Abs(expected);
        Assert.True(Math.Abs(actual - expected) <= allowed,
            $"expected {expected:R} within a relative {relativeTolerance:G3}, got {actual:R} (off by {Math.Abs(actual - expected) / Math.Abs(expected):G3} relative)");
    }
}
