using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>Checks a feature matrix (N, F) handed to a feature-space metric and reads it as a float64 CPU tensor.</summary>
internal static class FeatureMatrix
{
    /// <summary>
    /// Rows per block when a metric needs all pairs of two sets: a block against 10,000 rows is an 80 MB float64 table,
    /// where the full 10,000 × 10,000 table would take 800 MB.
    /// </summary>
    public const int BlockRows = 1000;

    /// <summary>
    /// <paramref name="features"/> detached, as float64 on the CPU and contiguous, after checking that it is (N, F) with
    /// N ≥ <paramref name="minimumRows"/> and F ≥ 1, floating point and finite. The result may share memory with the
    /// input (when it already is float64 on the CPU): read it, never write to it.
    /// </summary>
    public static Tensor ToFloat64(Tensor features, string paramName, long minimumRows, string? whyMinimum = null)
    {
        ArgumentNullException.ThrowIfNull(features, paramName);
        if (features.dim() != 2 || features.shape[1] < 1)
            throw new ArgumentException($"{paramName} [{Shape(features)}] must be a feature matrix (N, F) with F ≥ 1", paramName);
        if (features.shape[0] < minimumRows)
            throw new ArgumentException($"{paramName} [{Shape(features)}] has {features.shape[0]} rows; expected at least {minimumRows}{(whyMinimum is null ? "" : $" ({whyMinimum})")}", paramName);
        if (!features.is_floating_point())
            throw new ArgumentException($"{paramName} has dtype {features.dtype}; expected a floating-point feature matrix", paramName);

        var values = features.detach().to(ScalarType.Float64).cpu().contiguous();
        RequireFinite(values, paramName);
        return values;
    }

    /// <summary>Refuses two feature matrices whose numbers of columns differ, naming both shapes.</summary>
    public static void RequireSameFeatures(Tensor first, string firstName, Tensor second, string secondName)
    {
        if (first.shape[1] != second.shape[1])
            throw new ArgumentException($"{firstName} [{Shape(first)}] and {secondName} [{Shape(second)}] must have the same number of features (columns)", secondName);
    }

    /// <summary>Refuses a tensor holding NaN or ±∞, which would silently turn a metric into NaN.</summary>
    public static void RequireFinite(Tensor values, string paramName)
    {
        using var scope = NewDisposeScope();
        long bad = values.numel() - values.isfinite().sum().item<long>();
        if (bad > 0)
            throw new ArgumentException($"{paramName} holds {bad} non-finite values (NaN or ±∞); every value must be finite", paramName);
    }

    /// <summary>A shape as the error messages print it: "2000, 64".</summary>
    public static string Shape(Tensor tensor) => string.Join(", ", tensor.shape);
}
