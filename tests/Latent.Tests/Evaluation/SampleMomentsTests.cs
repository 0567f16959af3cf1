using Latent.Evaluation;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class SampleMomentsTests
{
    [Fact]
    public void MomentsOfOneToFourAreTwoAndAHalfAndRootOnePointTwoFive()
    {
        // Mean 10/4; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, over n = 4 (ddof 0).
        var moments = SampleMoments.Of([1.0, 2.0, 3.0, 4.0]);

        Assert.Equal(2.5, moments.Mean);
        RelativeAssert.Close(Math.Sqrt(1.25), moments.Std, 1e-15);
    }

    [Fact]
    public void OneColumnTensorGivesTheSameMomentsAsItsValues()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var column = tensor(new float[] { 1, 2, 3, 4 }, [4, 1]);

        Assert.Equal(SampleMoments.Of([1.0, 2.0, 3.0, 4.0]), SampleMoments.Of(column));
        Assert.Equal(SampleMoments.Of([1.0, 2.0, 3.0, 4.0]), SampleMoments.Of(column.reshape(4)));
        Assert.False(column.IsInvalid);
    }

    [Fact]
    public void SingleValueHasZeroStd()
    {
        Assert.Equal(new SampleMoments(7, 0), SampleMoments.Of([7.0]));
    }

    [Fact]
    public void TwoColumnTensorIsRefusedWithItsShape()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => SampleMoments.Of(zeros(2, 2)));
        Assert.Contains("[2, 2]", error.Message);
        Assert.Throws<ArgumentException>(() => SampleMoments.Of(Array.Empty<double>()));
    }
}
