namespace Latent.Imaging;

/// <summary>The argument checks the plots share, with messages that name the series and what was expected.</summary>
internal static class PlotInputChecks
{
    /// <summary>Throws unless the list exists and holds at least one non-null item.</summary>
    public static void RequireSeries<T>(IReadOnlyList<T>? series, string parameterName) where T : class
    {
        if (series is null)
            throw new ArgumentNullException(parameterName, $"{parameterName} is null; expected at least one series");
        if (series.Count == 0)
            throw new ArgumentException($"{parameterName} is empty; expected at least one series", parameterName);
        for (int i = 0; i < series.Count; i++)
        {
            if (series[i] is null)
                throw new ArgumentException($"{parameterName}[{i}] is null; expected a series", parameterName);
        }
    }

    /// <summary>Throws unless both coordinate arrays exist and have the same length.</summary>
    public static void RequirePairedCoordinates(double[]? x, double[]? y, string what, string parameterName)
    {
        if (x is null)
            throw new ArgumentException($"{what}: X is null; expected an array of coordinates", parameterName);
        if (y is null)
            throw new ArgumentException($"{what}: Y is null; expected an array of coordinates", parameterName);
        if (x.Length != y.Length)
            throw new ArgumentException($"{what}: X has {x.Length} values but Y has {y.Length}; expected equal lengths", parameterName);
    }

    /// <summary>How a series is named in messages: its position and label.</summary>
    public static string Describe(string parameterName, int index, string? label) => $"{parameterName}[{index}] \"{label}\"";
}
