using Latent.Data;
using Latent.Runtime;

namespace Latent.Tests.Data;

public class BinaryPatterns3x3Tests
{
    [Fact]
    public void TenPatternsInTheOrderRowsColumnsDiagonalsPlusX()
    {
        LatentRuntime.EnsureLoaded();
        var patterns = new BinaryPatterns3x3();

        Assert.Equal([10L, 9L], patterns.Points.shape);
        Assert.Equal(
            ["top row", "middle row", "bottom row", "left column", "middle column", "right column", "main diagonal", "anti-diagonal", "plus", "X"],
            patterns.PatternNames);
        var values = patterns.Points.data<float>().ToArray();
        float[] Row(int i) => values[(i * 9)..((i + 1) * 9)];

        Assert.Equal(new float[] { 1, 1, 1, 0, 0, 0, 0, 0, 0 }, Row(0));
        Assert.Equal(new float[] { 0, 0, 1, 0, 0, 1, 0, 0, 1 }, Row(5));
        Assert.Equal(new float[] { 0, 0, 1, 0, 1, 0, 1, 0, 0 }, Row(7));
        Assert.Equal(new float[] { 0, 1, 0, 1, 1, 1, 0, 1, 0 }, Row(8));
        Assert.Equal(new float[] { 1, 0, 1, 0, 1, 0, 1, 0, 1 }, Row(9));
    }

    [Fact]
    public void PlusIsMiddleRowWithMiddleColumnAndXIsBothDiagonals()
    {
        LatentRuntime.EnsureLoaded();
        var points = new BinaryPatterns3x3().Points;

        Assert.True(points[8].equal(points[1].maximum(points[4])).all().item<bool>());
        Assert.True(points[9].equal(points[6].maximum(points[7])).all().item<bool>());
        // All ten are distinct and binary.
        Assert.Equal(10, points.unique(dim: 0).Item1.shape[0]);
        Assert.True((points.eq(0) | points.eq(1)).all().item<bool>());
    }
}
