using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Data;

/// <summary>A 1D normal distribution N(μ, σ²): x = μ + σ·ε with ε ~ N(0, 1).</summary>
/// <remarks>The target of the `gan1d` workload is N(3, 0.5). Examples are (n, 1) float32.</remarks>
public sealed class Gaussian1D : IDataSource, IDensity1D
{
    /// <summary>Defines the distribution.</summary>
    /// <param name="mean">The mean μ; finite. Default 0.</param>
    /// <param name="std">The standard deviation σ; finite and &gt; 0. Default 1.</param>
    public Gaussian1D(double mean = 0, double std = 1)
    {
        if (!double.IsFinite(mean))
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "must be finite");
        if (!(double.IsFinite(std) && std > 0))
            throw new ArgumentOutOfRangeException(nameof(std), std, "must be finite and > 0");
        Mean = mean;
        Std = std;
    }

    /// <summary>The mean μ.</summary>
    public double Mean { get; }

    /// <summary>The standard deviation σ.</summary>
    public double Std { get; }

    /// <inheritdoc />
    public int Dimension => 1;

    /// <inheritdoc />
    public Tensor Sample(long n, Generator rng)
    {
        if (n < 1)
            throw new ArgumentOutOfRangeException(nameof(n), n, "must be ≥ 1");
        ArgumentNullException.ThrowIfNull(rng);
        using var scope = NewDisposeScope();
        return (randn([n, 1], dtype: ScalarType.Float32, generator: rng) * Std + Mean).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public double Density(double x) => StandardNormal.Density((x - Mean) / Std) / Std;

    /// <inheritdoc />
    public double Cdf(double x) => StandardNormal.Cdf((x - Mean) / Std);
}
