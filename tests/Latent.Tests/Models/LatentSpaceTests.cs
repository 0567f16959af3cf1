using Latent.Models;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

public class LatentSpaceTests
{
    [Fact]
    public void LinearPathStartsAndEndsExactlyAtTheCodesInEvenSteps()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var from = tensor(new float[] { 1, 2, -3 });
        var to = tensor(new float[] { 4, -2, 0 });

        var path = LatentSpace.Interpolate(from, to, steps: 4);

        Assert.Equal([4L, 3], path.shape);
        Assert.Equal([1f, 2, -3], path[0].data<float>().ToArray());
        Assert.Equal([4f, -2, 0], path[3].data<float>().ToArray());
        // Each step is (to − from) / 3 = (1, −4/3, 1).
        var steps = (path[1..] - path[..^1]).data<float>().ToArray();
        float[] expected = [1, -4f / 3, 1, 1, -4f / 3, 1, 1, -4f / 3, 1];
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], steps[i], 1e-5f);
    }

    [Fact]
    public void RowCodesOfShapeOneByLatentAreAcceptedLikeVectors()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var from = tensor(new float[] { 0, 0 });
        var to = tensor(new float[] { 2, 4 });

        var vectors = LatentSpace.Interpolate(from, to, 3);
        var rows = LatentSpace.Interpolate(from.unsqueeze(0), to.unsqueeze(0), 3);

        Assert.True(vectors.Equals(rows));
        Assert.Equal([0f, 0, 1, 2, 2, 4], rows.flatten().data<float>().ToArray());
    }

    [Fact]
    public void SphericalPathOfPerpendicularCodesTurnsInEqualAnglesWhileItsNormGoesLinearly()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var from = tensor(new float[] { 3, 0 });
        var to = tensor(new float[] { 0, 2 });

        var path = LatentSpace.Interpolate(from, to, steps: 5, spherical: true);

        // Row i lies at angle i · 90°/4 from the x axis, with norm 3 + i/4 · (2 − 3): by hand, (r cos θ, r sin θ).
        for (int i = 0; i < 5; i++)
        {
            double angle = i * Math.PI / 8, norm = 3 - i / 4.0;
            float[] row = path[i].data<float>().ToArray();
            Assert.Equal(norm * Math.Cos(angle), row[0], 1e-5);
            Assert.Equal(norm * Math.Sin(angle), row[1], 1e-5);
        }
    }

    [Fact]
    public void SphericalPathInManyDimensionsKeepsEndpointsLinearNormsAndEqualAngleSteps()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(11);
        var codes = randn([2, 16], dtype: float64, generator: rng);
        var (from, to) = (codes[0], codes[1]);
        const int steps = 7;

        var path = LatentSpace.Interpolate(from, to, steps, spherical: true);

        Assert.True((path[0] - from).abs().max().item<double>() < 1e-12);
        Assert.True((path[^1] - to).abs().max().item<double>() < 1e-12);
        double normFrom = from.norm().item<double>(), normTo = to.norm().item<double>();
        double[] norms = path.norm(1).data<double>().ToArray();
        double[] angles = new double[steps - 1];
        for (int i = 0; i < steps; i++)
        {
            double t = i / (double)(steps - 1);
            Assert.Equal(normFrom + t * (normTo - normFrom), norms[i], 1e-10);
            if (i > 0)
                angles[i - 1] = Angle(path[i - 1], path[i]);
        }
        double total = Angle(from, to);
        Assert.All(angles, angle => Assert.Equal(total / (steps - 1), angle, 1e-8));
        // The straight line cuts inside the sphere: its midpoint is shorter than the spherical one (the triangle inequality).
        var middle = LatentSpace.Interpolate(from, to, 3)[1].norm().item<double>();
        Assert.True(middle < norms[3], $"straight midpoint norm {middle}, spherical {norms[3]}");
    }

    [Fact]
    public void IdenticalEndpointsGiveAConstantPathWithoutNaN()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var code = tensor(new float[] { 0.5f, -1, 2 });

        var spherical = LatentSpace.Interpolate(code, code.clone(), 4, spherical: true);
        var sameDirection = LatentSpace.Interpolate(code, 2 * code, 3, spherical: true);

        Assert.False(spherical.isnan().any().item<bool>());
        for (int i = 0; i < 4; i++)
            AssertClose([0.5f, -1, 2], spherical[i]);
        // Codes in one direction have no angle between them: the path is the straight line, norms 1×, 1.5×, 2×.
        Assert.False(sameDirection.isnan().any().item<bool>());
        AssertClose([0.75f, -1.5f, 3], sameDirection[1]);
    }

    [Fact]
    public void ArithmeticIsTheWeightedSumOfTheGroupMeans()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var rng = new Generator(2);
        var smilingWomen = randn([5, 4], dtype: float64, generator: rng);
        var neutralWomen = randn([3, 4], dtype: float64, generator: rng);
        var neutralMen = randn([7, 4], dtype: float64, generator: rng);

        var result = LatentSpace.Arithmetic([(smilingWomen, 1), (neutralWomen, -1), (neutralMen, 0.5)]);

        Assert.Equal([1L, 4], result.shape);
        double[] expected = new double[4];
        foreach (var (group, weight) in new[] { (smilingWomen, 1.0), (neutralWomen, -1.0), (neutralMen, 0.5) })
        {
            double[] values = group.data<double>().ToArray();
            long rows = group.shape[0];
            for (int column = 0; column < 4; column++)
                expected[column] += weight * Enumerable.Range(0, (int)rows).Sum(r => values[r * 4 + column]) / rows;
        }
        double[] actual = result.data<double>().ToArray();
        for (int column = 0; column < 4; column++)
            Assert.Equal(expected[column], actual[column], 1e-12);
    }

    [Fact]
    public void MeanOfAGroupIsItsColumnMeanAsOneRow()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        var mean = LatentSpace.Mean(tensor(new float[,] { { 1, 2 }, { 3, 6 } }));

        Assert.Equal([1L, 2], mean.shape);
        Assert.Equal([2f, 4], mean.data<float>().ToArray());
    }

    [Fact]
    public void CodesOfDifferentSizesAreRefusedNamingBothSizes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        var interpolate = Assert.Throws<ArgumentException>(() => LatentSpace.Interpolate(zeros(3), zeros(4), 5));
        var arithmetic = Assert.Throws<ArgumentException>(() => LatentSpace.Arithmetic([(zeros(2, 4), 1), (zeros(2, 3), -1)]));

        Assert.Equal("to", interpolate.ParamName);
        Assert.Contains("the codes have 3 and 4 values", interpolate.Message);
        Assert.Equal("terms", arithmetic.ParamName);
        Assert.Contains("terms[1] has codes of 3 values; expected 4 like terms[0]", arithmetic.Message);
    }

    [Fact]
    public void FewerThanTwoStepsNoTermsOrAGroupThatIsNotRowsAreRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => LatentSpace.Interpolate(zeros(2), ones(2), 1)).ParamName);
        Assert.Contains("no terms", Assert.Throws<ArgumentException>(() => LatentSpace.Arithmetic([])).Message);
        Assert.Contains("codes [4]; expected (N, latent)", Assert.Throws<ArgumentException>(() => LatentSpace.Mean(zeros(4))).Message);
        Assert.Contains("with N ≥ 1", Assert.Throws<ArgumentException>(() => LatentSpace.Mean(zeros(0, 4))).Message);
    }

    private static void AssertClose(float[] expected, Tensor actual)
    {
        float[] values = actual.data<float>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], values[i], 1e-5f);
    }

    private static double Angle(Tensor a, Tensor b)
    {
        double cosine = ((a * b).sum() / (a.norm() * b.norm())).item<double>();
        return Math.Acos(Math.Clamp(cosine, -1, 1));
    }
}
