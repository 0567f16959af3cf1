using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>Reads one column of samples, (N) or (N, 1) on any device, as doubles for the 1D metrics.</summary>
internal static class ColumnValues
{
    public static double[] Read(Tensor samples, string paramName)
    {
        ArgumentNullException.ThrowIfNull(samples, paramName);
        bool oneColumn = samples.dim() == 1 || (samples.dim() == 2 && samples.shape[1] == 1);
        if (!oneColumn)
            throw new ArgumentException($"{paramName} [{string.Join(", ", samples.shape)}] must be one column of values, (N) or (N, 1)", paramName);
        using var scope = NewDisposeScope();
        return samples.detach().reshape(-1).to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
    }

    public static void RequireFinite(double[] values, string paramName)
    {
        ArgumentNullException.ThrowIfNull(values, paramName);
        if (values.Length == 0)
            throw new ArgumentException($"{paramName} must hold at least one value", paramName);
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{paramName}[{i}] is {values[i]}; every value must be finite", paramName);
        }
    }
}
