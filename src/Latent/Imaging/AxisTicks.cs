using System.Globalization;

namespace Latent.Imaging;

/// <summary>Round tick values for an axis (multiples of 1, 2 or 5 × 10ᵏ) and their labels.</summary>
internal sealed class AxisTicks
{
    private static readonly int[] Mantissas = [1, 2, 5];

    private AxisTicks(double[] values, string[] labels)
    {
        Values = values;
        Labels = labels;
    }

    /// <summary>The tick positions in data units, ascending, all inside the axis range.</summary>
    public double[] Values { get; }

    /// <summary>The text under or beside each tick.</summary>
    public string[] Labels { get; }

    /// <summary>
    /// The coarsest-fitting round ticks: the smallest step whose ticks are at least <paramref name="minimumSpacing"/>(labels) pixels apart,
    /// falling back to a finer step when that one would leave fewer than two ticks.
    /// </summary>
    /// <param name="min">Lower end of the axis range.</param>
    /// <param name="max">Upper end of the axis range, &gt; <paramref name="min"/>.</param>
    /// <param name="pixelLength">Pixels the range spans on screen.</param>
    /// <param name="minimumSpacing">Pixels needed between neighbouring ticks given their labels (wider labels need more room).</param>
    public static AxisTicks Choose(double min, double max, double pixelLength, Func<string[], double> minimumSpacing)
    {
        double span = max - min;
        double finest = span / Math.Max(2, pixelLength / 4);
        int firstExponent = (int)Math.Floor(Math.Log10(finest));
        AxisTicks? denser = null;
        for (int exponent = firstExponent; exponent <= firstExponent + 24; exponent++)
        {
            foreach (int mantissa in Mantissas)
            {
                double step = mantissa * Math.Pow(10, exponent);
                if (step < finest)
                    continue;
                var ticks = Build(min, max, mantissa, exponent);
                double spacing = step / span * pixelLength;
                if (spacing >= minimumSpacing(ticks.Labels))
                    return ticks.Values.Length >= 2 || denser is null ? ticks : denser;
                if (ticks.Values.Length >= 2)
                    denser = ticks;
            }
        }
        return denser ?? Build(min, max, 1, firstExponent);
    }

    private static AxisTicks Build(double min, double max, int mantissa, int exponent)
    {
        // k · m · 10^e, dividing for negative e, keeps values like 0.3 exact rather than 0.30000000000000004.
        double Value(long k) => exponent >= 0 ? k * mantissa * Math.Pow(10, exponent) : k * mantissa / Math.Pow(10, -exponent);
        double step = Value(1);
        long first = (long)Math.Ceiling(min / step - 1e-9);
        long last = (long)Math.Floor(max / step + 1e-9);
        var values = new List<double>();
        for (long k = first; k <= last && values.Count < 1000; k++)
            values.Add(Value(k));
        double largest = Math.Max(Math.Abs(min), Math.Abs(max));
        bool scientific = largest >= 1e6 || exponent <= -5;
        // Scientific labels keep as many mantissa digits as the step needs (−1.99e6 and −1.98e6, not −2e6 twice), trailing zeros dropped.
        int decimals = scientific ? Math.Max(0, (int)Math.Floor(Math.Log10(largest)) - exponent) : Math.Max(0, -exponent);
        string format = !scientific ? "F" + decimals.ToString(CultureInfo.InvariantCulture)
            : decimals > 0 ? "0." + new string('#', decimals) + "e0"
            : "0e0";
        string[] labels = values.Select(value => Format(value, format, scientific)).ToArray();
        return new AxisTicks(values.ToArray(), labels);
    }

    private static string Format(double value, string format, bool scientific)
    {
        if (value == 0)
            return scientific ? "0" : 0.0.ToString(format, CultureInfo.InvariantCulture); // never "-0"
        return value.ToString(format, CultureInfo.InvariantCulture);
    }
}
