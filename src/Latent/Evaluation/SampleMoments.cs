using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>The mean and the population standard deviation of 1D samples: μ = Σx/n, σ = √(Σ(x − μ)²/n) (ddof 0).</summary>
/// <remarks>What the `gan1d` workload reports against its target N(3, 0.5). Computed in double precision in two passes.</remarks>
/// <param name="Mean">The sample mean.</param>
/// <param name="Std">The population standard deviation (dividing by n, not n − 1).</param>
public sealed record SampleMoments(double Mean, double Std)
{
    /// <summary>The moments of an array of values.</summary>
    /// <param name="values">At least one finite value.</param>
    public static SampleMoments Of(double[] values)
    {
        ColumnValues.RequireFinite(values, nameof(values));
        double mean = values.Sum() / values.Length;
        double squares = 0;
        foreach (double value in values)
            squares += (value - mean) * (value - mean);
        return new SampleMoments(mean, Math.Sqrt(squares / values.Length));
    }

    /// <summary>The moments of one column of samples.</summary>
    /// <param name="samples">An (N) or (N, 1) tensor of any floating type on any device; not modified or disposed.</param>
    public static SampleMoments Of(Tensor samples) => Of(ColumnValues.Read(samples, nameof(samples)));
}
